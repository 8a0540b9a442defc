import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openSqliteAuditLog } from '../../audit/index.js';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import { verifySealsOf } from '../../store/sqlite/seals-file.js';
import { auditRead } from '../cli-audit.js';
import { wholeNumberOption } from '../number-option.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';

/** No database at `path` is said as every command says it. */
function mustExist(path: string): void {
  if (!existsSync(path)) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `no database at ${path} (run \`credence init --db ${path}\` first)`,
    );
  }
}

/** The audit log of the database at `path`. */
function openLog(path: string): ReturnType<typeof openSqliteAuditLog> {
  mustExist(path);
  return openSqliteAuditLog(path);
}

/**
 * The subject id whose entries `--subject` asks for. Entries are filed under subject ids, so an
 * identifier (an e-mail, a phone) listed nothing at all; it is read as `credence score` reads it,
 * and the id it names is said on stderr once the listing is logged. An id of the `P…` form is
 * taken as given: an id merged into another since still files its own entries, and a forgotten
 * person's id names no one now.
 */
async function subjectOfEntries(path: string, text: string): Promise<string> {
  if (/^P\d{7}$/.test(text)) return text;
  // Loaded only here: `audit verify` and a list by id need none of the store's modules.
  const { findSubject, openApp } = await import('../../open-app.js');
  const app = await openApp(path);
  try {
    return await findSubject(app, text, '--subject');
  } finally {
    await app.close();
  }
}

/**
 * `credence audit verify`: walks the hash chain of the audit log and names the first entry that
 * was changed, deleted or moved (exit 8). `credence audit list`: entries, optionally of one person.
 */
export function registerAudit(program: Command): void {
  const cmd = program.command('audit').description('Inspect and verify the tamper-evident audit log');
  withDb(cmd.command('verify').description('Check the hash chain; name the first bad entry'))
    .option('--expect-head <hash>', 'also require the last entry to have this hash (published earlier)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean; expectHead?: string }) => {
      const log = await openLog(dbPath(opts));
      try {
        const started = process.hrtime.bigint();
        const report = await log.verify();
        // The facts are checked against their seal once the chain holding its checkpoints is
        // known to be whole (a broken chain is named first).
        const facts = report.ok ? verifySealsOf(dbPath(opts)) : undefined;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const headMismatch =
          report.ok && opts.expectHead !== undefined && opts.expectHead !== report.head.hash
            ? `the last entry (${report.head.seq}) has hash ${report.head.hash}, not the expected ${opts.expectHead}`
            : undefined;
        const factsBroken = facts && !facts.ok ? facts : undefined;
        if (opts.json) {
          printJson({
            ...report,
            ok: report.ok && !headMismatch && !factsBroken,
            ...(facts ? { facts } : {}),
            seconds,
          });
        }
        if (report.problem) {
          throw new CredenceError(
            'CREDENCE_E_AUDIT_BROKEN',
            `audit log broken at entry ${report.problem.seq}`,
            {
              file: dbPath(opts),
              path: `audit_log[seq=${report.problem.seq}]`,
            },
            [
              {
                code: 'CREDENCE_E_AUDIT_BROKEN',
                file: dbPath(opts),
                path: `audit_log[seq=${report.problem.seq}]`,
                reason: `${report.problem.kind}: ${report.problem.reason}`,
              },
            ],
          );
        }
        if (headMismatch)
          throw new CredenceError('CREDENCE_E_AUDIT_BROKEN', headMismatch, { file: dbPath(opts) });
        if (factsBroken) {
          const where = { file: dbPath(opts), path: factsBroken.path };
          throw new CredenceError(
            'CREDENCE_E_AUDIT_BROKEN',
            `the database was edited outside Credence: ${factsBroken.reason}`,
            where,
            [{ code: 'CREDENCE_E_AUDIT_BROKEN', ...where, reason: factsBroken.reason }],
          );
        }
        if (!opts.json) {
          const sealed =
            facts?.ok === true
              ? `; ${facts.facts} facts and ${facts.rulebooks} rulebook versions match their seals, ${facts.consents} consent rows their facts`
              : '';
          process.stdout.write(
            `audit log intact: ${report.entries} entries, head ${report.head.seq} ${report.head.hash}${sealed} (${seconds.toFixed(2)} s)\n`,
          );
        }
      } finally {
        await log.close();
      }
    });
  withDb(cmd.command('list').description('List audit entries, oldest first'))
    .option('--subject <id>', 'only entries about this person (subject id, or an identifier naming one)')
    .option(
      '--action <action>',
      'only entries of this action (auth.refused, identity.merge, …); repeat for several',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--actor <actor>', 'only entries by this actor (key:<key id>, cli:<user>)')
    .option('--since <iso>', 'only entries at or after this instant')
    .option('--after <seq>', 'only entries after this one (the next page starts after the last seq shown)')
    .option('--limit <n>', 'at most this many entries', '100')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        db?: string;
        json?: boolean;
        subject?: string;
        action?: string[];
        actor?: string;
        since?: string;
        after?: string;
        limit: string;
      }) => {
        // A limit of 0 lists nothing and then says more follow, with no --after to go on from.
        wholeNumberOption(opts.limit, '--limit', 1);
        const since = opts.since !== undefined ? instantOption(opts.since, '--since') : undefined;
        if (opts.after !== undefined && !/^\d{1,15}$/.test(opts.after)) {
          throw new CredenceError(
            'CREDENCE_E_USAGE',
            `--after must be an entry's seq (a whole number), got "${opts.after}"`,
            {
              field: '--after',
            },
          );
        }
        const afterSeq = opts.after !== undefined ? Number(opts.after) : undefined;
        const limit = Number(opts.limit);
        mustExist(dbPath(opts));
        const subject =
          opts.subject === undefined ? undefined : await subjectOfEntries(dbPath(opts), opts.subject);
        const log = await openLog(dbPath(opts));
        try {
          // One more than asked: whether the limit cut the list, said on stderr (stdout stays the list).
          const found = await log.query({
            ...(subject !== undefined ? { subject } : {}),
            ...(opts.action !== undefined ? { actions: opts.action } : {}),
            ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
            ...(since !== undefined ? { since } : {}),
            ...(afterSeq !== undefined ? { afterSeq } : {}),
            limit: limit + 1,
          });
          const entries = found.slice(0, limit);
          // Entries carry what was read about people (a score.read keeps the score and tier shown):
          // listing them is a read of those people's data, logged before anything is shown, under
          // the person when one was asked for (their own trail then shows who looked at it).
          auditRead(dbPath(opts), [
            {
              action: 'audit.read',
              ...(subject !== undefined ? { subject } : {}),
              detail: {
                count: entries.length,
                ...(opts.action !== undefined ? { actions: opts.action } : {}),
                ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
                ...(since !== undefined ? { since } : {}),
                ...(afterSeq !== undefined ? { after: afterSeq } : {}),
                limit,
              },
            },
          ]);
          if (subject !== undefined && subject !== opts.subject)
            process.stderr.write(`${opts.subject} is ${subject}: its entries are filed under that id\n`);
          if (opts.json) printJson({ entries: entries.map((e) => ({ ...e, detail: JSON.parse(e.detail) })) });
          else {
            for (const e of entries) {
              process.stdout.write(
                `${e.seq}\t${formatInstant(e.at)}\t${e.actor}\t${e.action}\t${e.subject ?? '-'}\t${e.purpose ?? '-'}\n`,
              );
            }
          }
          if (found.length > limit) {
            // The next page by seq: by --since it showed the last entry again, and entries of one
            // millisecond beyond the limit could never be paged past.
            const next = entries.at(-1)?.seq;
            process.stderr.write(
              `the first ${limit} entries; more follow: --limit N for more${next !== undefined ? `, or --after ${next}` : ''}\n`,
            );
          }
        } finally {
          await log.close();
        }
      },
    );
}
