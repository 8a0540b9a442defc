import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type AuditLog,
  type AuditVerifyReport,
  openSqliteAuditLog,
  withPublishedHead,
} from '../../audit/index.js';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import { type SealsReport, verifySealsOf } from '../../store/sqlite/seals-file.js';
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

/**
 * The audit log of the database at `path`. A file a newer Credence made is refused as every
 * command refuses it: verified here, the seals its newer tables carry would go unchecked and the
 * file be called intact.
 */
async function openLog(path: string): ReturnType<typeof openSqliteAuditLog> {
  mustExist(path);
  const { default: Database } = await import('better-sqlite3');
  const { sqliteNativeBinding } = await import('../../store/sqlite/native-binding.js');
  const { newerSchema } = await import('../../store/sqlite/sqlite-migrations.js');
  let schema: number | undefined;
  try {
    const db = new Database(path, {
      readonly: true,
      fileMustExist: true,
      nativeBinding: sqliteNativeBinding(),
    });
    try {
      schema = db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    // Not a database, or not readable: the log's own open says so, as it did.
  }
  const newer = schema === undefined ? undefined : newerSchema(path, schema);
  if (newer) throw newer;
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

/** The dispute tables held to the chain (`checkDisputesAgainstLog`), on a read-only connection. */
async function disputesOf(path: string, log: AuditLog) {
  const { checkDisputesAgainstLog } = await import('../../api/services/dispute-log-check.js');
  const { default: Database } = await import('better-sqlite3');
  const { sqliteNativeBinding } = await import('../../store/sqlite/native-binding.js');
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    return await checkDisputesAgainstLog(db, log);
  } finally {
    db.close();
  }
}

/** What `audit verify` says it held to their seals, the tables a file's schema seals named. */
function sealsHeld(seals: Extract<SealsReport, { ok: true }>): string {
  const d = seals.derived;
  const parts = [
    `${seals.facts} facts`,
    `${seals.rulebooks} rulebook versions`,
    `${d.ledger ?? 0} point lines`,
    `${d.scores ?? 0} cached scores`,
    d.identifiers === undefined ? undefined : `${d.identifiers} identifiers`,
    d.fact_subjects === undefined ? undefined : `the persons of ${d.fact_subjects} facts`,
    d.api_keys === undefined ? undefined : `${d.api_keys} API keys`,
    d.subjects === undefined ? undefined : `${d.subjects} person ids`,
    d.identity_records === undefined
      ? undefined
      : `${d.identity_records} identity records with the engine's reviews (${d.identity_reviews ?? 0}), decisions (${d.identity_decisions ?? 0}), state${d.identity_keys === undefined ? '' : ` and index keys (${d.identity_keys})`}`,
  ].filter((p) => p !== undefined);
  const last = parts.pop();
  return `${parts.join(', ')} and ${last} match their seals, ${seals.consents} consent rows their facts, the pages and indexes of ${seals.tablesChecked} tables are whole`;
}

/**
 * SQLite's "database disk image is malformed" met on the way (the chain walk or a seal's scan
 * reading a page whose bytes were edited) is the verify's finding, not a crash of it: the file is
 * named as broken, with SQLite's words, and the exit code says so.
 */
function damaged(path: string, e: unknown): CredenceError | undefined {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const corrupt =
    (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) ||
    /database disk image is malformed/.test(message);
  if (!corrupt || e instanceof CredenceError) return undefined;
  const reason = `SQLite cannot read its pages (${message}): the file was edited outside Credence, or damaged on disk`;
  return new CredenceError(
    'CREDENCE_E_AUDIT_BROKEN',
    `the database file is damaged: ${reason}`,
    { file: path },
    [{ code: 'CREDENCE_E_AUDIT_BROKEN', file: path, reason }],
  );
}

/** A head as `credence audit head` prints it and an operator publishes it: `SEQ:HASH`. */
function publishedHead(text: string): { seq: number; hash: string } {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text);
  if (!m || Number(m[1]) < 1) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--expect takes an entry as \`credence audit head\` prints it, SEQ:HASH (a whole number from 1, a colon, 64 lowercase hexadecimal digits), got "${text}"`,
      { field: '--expect' },
    );
  }
  return { seq: Number(m[1]), hash: m[2] as string };
}

/**
 * Holds a whole chain to heads published earlier (`--expect SEQ:HASH`): each entry must still be in
 * the chain with the hash it had. Every entry up to it is then as it was when published (each hash
 * seals the one before); another hash, or no such entry, means the chain was rewritten from that
 * entry or before, hashes and head recomputed, which the chain alone cannot show. The first
 * published entry that does not hold is named; a report that failed already is returned as it is.
 */
async function withExpectedHeads(
  report: AuditVerifyReport,
  expected: readonly { seq: number; hash: string }[],
  log: AuditLog,
): Promise<AuditVerifyReport> {
  if (!report.ok) return report;
  for (const e of expected) {
    const [found] = e.seq <= report.head.seq ? await log.query({ afterSeq: e.seq - 1, limit: 1 }) : [];
    if (found?.seq === e.seq && found.hash === e.hash) continue;
    const reason =
      found?.seq === e.seq
        ? `entry ${e.seq} has hash ${found.hash}, not the published ${e.hash}: the chain was rewritten from entry ${e.seq} or before (its hashes and head recomputed)`
        : `entry ${e.seq}, published with hash ${e.hash}, is not in the chain (its head is ${report.head.seq}): the log was cut or rewritten shorter`;
    return { ...report, ok: false, problem: { kind: 'published-missing', seq: e.seq, reason } };
  }
  return report;
}

/**
 * `credence audit verify`: walks the hash chain of the audit log and names the first entry that
 * was changed, deleted or moved (exit 8). `credence audit list`: entries, optionally of one person.
 */
export function registerAudit(program: Command): void {
  const cmd = program.command('audit').description('Inspect and verify the tamper-evident audit log');
  withDb(
    cmd.command('verify').description('Check the hash chain and what it seals; name the first bad entry'),
  )
    .option(
      '--published <hash>',
      'also require the entry with this hash (a head printed and published earlier) to still be in the chain',
    )
    .option('--expect-head <hash>', 'also require the last entry to have this hash (nothing appended since)')
    .option(
      '--expect <seq:hash>',
      'also require entry SEQ to have HASH, as `credence audit head` printed it and it was published; repeat for several',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        db?: string;
        json?: boolean;
        expectHead?: string;
        published?: string;
        expect?: string[];
      }) => {
        const path = dbPath(opts);
        if (opts.published !== undefined && !/^[0-9a-f]{64}$/.test(opts.published)) {
          throw new CredenceError(
            'CREDENCE_E_USAGE',
            '--published takes a head hash: 64 hexadecimal digits',
            {
              field: '--published',
            },
          );
        }
        const expected = (opts.expect ?? []).map(publishedHead);
        const log = await openLog(path);
        try {
          const started = process.hrtime.bigint();
          const chain = await log.verify();
          const published = opts.published;
          const withHash =
            published === undefined || !log.seqOfHash
              ? chain
              : await withPublishedHead(
                  chain,
                  published,
                  (h) => log.seqOfHash?.(h) ?? Promise.resolve(undefined),
                );
          const report = await withExpectedHeads(withHash, expected, log);
          // What lives outside the chain is held to it once the chain is known to be whole (a broken
          // chain is named first): the facts, consent rows and rulebooks against their seals and the
          // checkpoints in the chain, the dispute tables against the entries that opened and closed
          // each dispute.
          const seals = report.ok ? await verifySealsOf(path) : undefined;
          const disputes = report.ok ? await disputesOf(path, log) : undefined;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const headMismatch =
            report.ok && opts.expectHead !== undefined && opts.expectHead !== report.head.hash
              ? `the last entry (${report.head.seq}) has hash ${report.head.hash}, not the expected ${opts.expectHead}`
              : undefined;
          const sealsBroken = seals && !seals.ok ? seals : undefined;
          const disputeProblem = disputes && !disputes.ok ? disputes.problems[0] : undefined;
          if (opts.json) {
            printJson({
              ...report,
              ok: report.ok && !headMismatch && !sealsBroken && !disputeProblem,
              ...(seals ? { facts: seals } : {}),
              ...(disputes ? { disputes } : {}),
              seconds,
            });
          }
          const broken = (message: string, where: string, reason: string): never => {
            const at = { file: path, path: where };
            throw new CredenceError('CREDENCE_E_AUDIT_BROKEN', message, at, [
              { code: 'CREDENCE_E_AUDIT_BROKEN', ...at, reason },
            ]);
          };
          if (report.problem) {
            broken(
              `audit log broken at entry ${report.problem.seq}`,
              `audit_log[seq=${report.problem.seq}]`,
              `${report.problem.kind}: ${report.problem.reason}`,
            );
          }
          if (headMismatch) throw new CredenceError('CREDENCE_E_AUDIT_BROKEN', headMismatch, { file: path });
          if (sealsBroken) {
            broken(
              `the database was edited outside Credence: ${sealsBroken.reason}`,
              sealsBroken.path,
              sealsBroken.reason,
            );
          }
          if (disputeProblem) {
            const where =
              disputeProblem.seq !== undefined
                ? `audit_log[seq=${disputeProblem.seq}]`
                : `disputes[id=${disputeProblem.dispute}]`;
            const more = (disputes?.problems.length ?? 1) - 1;
            broken(
              `the disputes were edited outside Credence: dispute ${disputeProblem.dispute}: ${disputeProblem.reason}${more > 0 ? ` (and ${more} more; --json lists up to 100)` : ''}`,
              where,
              `dispute ${disputeProblem.dispute}: ${disputeProblem.reason}`,
            );
          }
          if (!opts.json) {
            const held = [
              seals?.ok === true ? sealsHeld(seals) : undefined,
              disputes ? `${disputes.disputes} disputes match their entries` : undefined,
              report.published
                ? `the published head (entry ${report.published.seq}) is in the chain`
                : undefined,
              expected.length > 0
                ? `the published ${expected.length === 1 ? `entry ${expected[0]?.seq} is` : `entries ${expected.map((e) => e.seq).join(', ')} are`} in the chain as published`
                : undefined,
            ].filter((x) => x !== undefined);
            process.stdout.write(
              `audit log intact: ${report.entries} entries, head ${report.head.seq} ${report.head.hash}${held.map((h) => `; ${h}`).join('')} (${seconds.toFixed(2)} s)\n`,
            );
          }
        } catch (e) {
          throw damaged(path, e) ?? e;
        } finally {
          await log.close();
        }
      },
    );
  withDb(
    cmd
      .command('head')
      .description('Print the chain head (SEQ:HASH) to publish, for a later verify --expect'),
  )
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const log = await openLog(dbPath(opts));
      try {
        const head = await log.head();
        if (opts.json) printJson(head);
        else process.stdout.write(`${head.seq}:${head.hash}\n`);
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
