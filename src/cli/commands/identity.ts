import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { nonCandidate } from '../../api/services/review-candidate.js';
import { reviewPage } from '../../api/services/review-page.js';
import { openSqliteAuditLog } from '../../audit/index.js';
import { CredenceError, isCredenceError } from '../../core/errors/index.js';
import type { Subject } from '../../core/facts/fact.js';
import type { FieldEvidence, Resolution, ReviewItem } from '../../identity/index.js';
import {
  decideReview,
  type IdentityChange,
  mergePersons,
  splitRecords,
} from '../../ingest/resolve/identity-ops.js';
import { IdentityResolver, recordIdOf } from '../../ingest/resolve/identity-resolver.js';
import { currentPerson, openApp } from '../../open-app.js';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import type { Store, StoredIdentityRecord } from '../../store/store.js';
import { auditRead, cliActor } from '../cli-audit.js';
import { dbPath, printJson, withDb } from '../options.js';

/** A stored record's link as a `Resolution`, with the person it belongs to now. */
export function storedLink(row: StoredIdentityRecord): Resolution {
  const link = JSON.parse(row.link) as Resolution;
  return { ...link, recordId: row.recordId, subjectId: row.subject };
}

/**
 * The link of a record id, or of a fact key `source/id` (through the record its subject
 * makes), from the database: what `credence explain-link` prints.
 */
export async function linkFromStore(store: Store, id: string): Promise<Resolution | undefined> {
  const row = await store.identityRecord(id);
  if (row) return storedLink(row);
  const slash = id.indexOf('/');
  if (slash <= 0) return undefined;
  const ref = { source: id.slice(0, slash), id: id.slice(slash + 1) };
  const fact = (await store.findFacts([ref])).get(id);
  if (!fact) return undefined;
  const subject = (JSON.parse(fact.body) as { subject?: Subject }).subject;
  if (!subject) return undefined;
  if (subject.subjectId !== undefined) {
    return {
      recordId: id,
      subjectId: fact.subject,
      decision: 'deterministic',
      confidence: 1,
      evidence: [{ field: 'subjectId', outcome: 'given', weight: 0, detail: 'the source named the person' }],
    };
  }
  const rec = await store.identityRecord(recordIdOf(subject));
  if (!rec) return undefined;
  const link = storedLink(rec);
  // The fact's own person (an operator may have moved it since the record was linked).
  return { ...link, subjectId: fact.subject, evidence: [...link.evidence, factNote(id, rec.recordId)] };
}

function factNote(fact: string, record: string): FieldEvidence {
  return {
    field: 'fact',
    outcome: 'record',
    weight: 0,
    detail: `fact ${fact} was sent with record ${record}`,
  };
}

/**
 * `credence explain-link` over the database (`--db`). The link found is a read of its person's
 * file (their records and what they were matched on), so it is logged under that person before it
 * is returned to be shown; one that cannot be logged is not returned (CREDENCE_E_DB).
 */
export async function explainLinkFromDb(id: string, opts: { db?: string }): Promise<Resolution | undefined> {
  const app = await openApp(dbPath(opts));
  let res: Resolution | undefined;
  try {
    res = await linkFromStore(app.store, id);
  } finally {
    await app.close();
  }
  if (res) {
    auditRead(dbPath(opts), [
      {
        action: 'identity.link.read',
        subject: res.subjectId,
        detail: { id, record: res.recordId, decision: res.decision, confidence: res.confidence },
      },
    ]);
  }
  return res;
}

/** Operator decisions change people's files: each goes to the audit log too. */
async function auditChange(path: string, c: IdentityChange, detail: Record<string, unknown>): Promise<void> {
  const log = await openSqliteAuditLog(path);
  try {
    await log.append({
      at: Date.now(),
      actor: cliActor(),
      action: `identity.${c.kind}`,
      subject: c.subjectId,
      detail: { ...detail, affected: c.affected, movedRecords: c.movedRecords, movedFacts: c.movedFacts },
    });
  } finally {
    await log.close();
  }
}

/**
 * A refused operator decision (persons holding different resident IDs, a record or review that is
 * not there, a subject that is not a candidate) goes to the audit log as `identity.refused`, with
 * what was asked and why, as the API logs its refusals; then the error is thrown on.
 */
async function auditRefusal(
  path: string,
  command: string,
  subject: string | undefined,
  asked: Record<string, unknown>,
  e: unknown,
): Promise<never> {
  if (isCredenceError(e)) {
    const log = await openSqliteAuditLog(path);
    try {
      await log.append({
        at: Date.now(),
        actor: cliActor(),
        action: 'identity.refused',
        ...(subject !== undefined ? { subject } : {}),
        detail: { command, ...asked, code: e.code, reason: e.message },
      });
    } finally {
      await log.close();
    }
  }
  throw e;
}

function printChange(c: IdentityChange, json: boolean): void {
  if (json) {
    printJson(c);
    return;
  }
  const moved = c.movedRecords.length > 0 ? `; records moved: ${c.movedRecords.join(', ')}` : '';
  const rescored = c.affected.length > 0 ? `; rescored: ${c.affected.join(', ')}` : '';
  process.stdout.write(`${c.kind}: person ${c.subjectId}; facts moved: ${c.movedFacts}${moved}${rescored}\n`);
}

function formatReview(item: ReviewItem): string {
  const out = [`review ${item.recordId} (provisional person ${item.subjectId})`];
  for (const c of item.candidates) {
    out.push(`  candidate ${c.subjectId} (confidence ${c.confidence.toFixed(4)})`);
    for (const e of c.evidence)
      out.push(`    ${e.field.padEnd(14)} ${e.outcome.padEnd(18)} ${e.weight.toFixed(2).padStart(7)}`);
  }
  return out.join('\n');
}

/**
 * The review queue by record id, as GET /v1/identity/reviews pages it: read from the queue's own
 * table, persons merged since an item was queued named as their survivor and candidates who hold
 * no record left out, as the restored resolver has them. Only what is shown is read, not every
 * identity record of the file (the resolver restored whole, which a large file paid for in
 * seconds); a database in memory, which another connection cannot reach, is read that way still.
 */
async function wholeQueue(store: Store, path: string): Promise<ReviewItem[]> {
  if (path === ':memory:') {
    const queue = (await new IdentityResolver(store).load()).reviewQueue();
    return [...queue].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  }
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    db.pragma('busy_timeout = 10000');
    // A database no ingest has written yet has no queue table: nothing waits.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'identity_reviews'").get()) return [];
    // LIMIT -1: no limit (SQLite); the order is the queue's index, as a page's.
    return await reviewPage(store, db, undefined, -1);
  } finally {
    db.close();
  }
}

/**
 * `credence identity review|merge|split|decide`: the operator's side of identity resolution.
 * Every decision is recorded; merges and splits move facts and rescore in one transaction.
 */
export function registerIdentity(program: Command): void {
  const identity = program
    .command('identity')
    .description('Identity resolution: the review queue and operator decisions (merge, split, decide)');

  withDb(identity.command('review').description('Records waiting for an operator: same person or not?'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      try {
        const reviews = await wholeQueue(app.store, app.dbPath);
        // The queue shows records, the persons they may be and the evidence: logged before it is
        // shown, as GET /v1/identity/reviews logs it (one entry, how many items).
        auditRead(dbPath(opts), [{ action: 'identity.reviews.read', detail: { count: reviews.length } }]);
        if (opts.json) printJson({ reviews });
        else if (reviews.length === 0) process.stdout.write('no records wait for review\n');
        else process.stdout.write(`${reviews.map(formatReview).join('\n')}\n`);
      } finally {
        await app.close();
      }
    });

  withDb(identity.command('merge <a> <b>').description('Merge two persons (the older id survives)'))
    .option('--note <text>', 'why (kept in the history)')
    .option('--json', 'print one JSON object')
    .action(async (a: string, b: string, opts: { db?: string; note?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      try {
        // A person merged with themself changes nothing, yet was logged as a merge decision.
        const self = async (): Promise<never> => {
          throw new CredenceError('CREDENCE_E_USAGE', `${a} cannot be merged with itself: name two persons`, {
            field: 'b',
          });
        };
        // An id merged away names its survivor, as for `credence score` (`currentPerson`): the
        // operator who names it means that person; it was refused as "no person".
        const persons = async (): Promise<[string, string]> => [
          await currentPerson(app, a.trim(), 'a'),
          await currentPerson(app, b.trim(), 'b'),
        ];
        const c = await persons()
          .then(([pa, pb]) => {
            if (a.trim() === b.trim()) return self();
            if (pa === pb) {
              throw new CredenceError(
                'CREDENCE_E_USAGE',
                `${a} and ${b} are one person already (${pa}): an earlier merge joined them`,
                { field: 'b' },
              );
            }
            return mergePersons(app.store, app.programs, pa, pb, opts.note);
          })
          .catch((e: unknown) =>
            auditRefusal(dbPath(opts), 'merge', a, { persons: [a, b], note: opts.note ?? null }, e),
          );
        await auditChange(dbPath(opts), c, { persons: [a, b], note: opts.note ?? null });
        printChange(c, opts.json === true);
      } finally {
        await app.close();
      }
    });

  withDb(identity.command('split <records...>').description('Move records (and their facts) to a new person'))
    .option('--note <text>', 'why (kept in the history)')
    .option('--json', 'print one JSON object')
    .action(async (records: string[], opts: { db?: string; note?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      try {
        const c = await splitRecords(app.store, app.programs, records, opts.note).catch((e: unknown) =>
          auditRefusal(dbPath(opts), 'split', undefined, { records, note: opts.note ?? null }, e),
        );
        await auditChange(dbPath(opts), c, { records, note: opts.note ?? null });
        printChange(c, opts.json === true);
      } finally {
        await app.close();
      }
    });

  withDb(identity.command('decide <item>').description('Decide a review item (its record id)'))
    .option('--match', 'the record is the candidate person')
    .option('--no-match', 'the record is a different person (kept apart from then on)')
    .option('--subject <id>', 'the candidate (default: the strongest)')
    .option('--note <text>', 'why (kept in the history)')
    .option('--json', 'print one JSON object')
    .action(
      async (
        item: string,
        opts: { db?: string; match?: boolean; subject?: string; note?: string; json?: boolean },
      ) => {
        if (opts.match === undefined) {
          throw new CredenceError('CREDENCE_E_USAGE', 'identity decide needs --match or --no-match', {
            field: '--match',
          });
        }
        const app = await openApp(dbPath(opts));
        try {
          const verdict = opts.match ? 'same' : 'different';
          const asked = { record: item, verdict, subject: opts.subject ?? null, note: opts.note ?? null };
          const c = await decideReview(app.store, app.programs, item, verdict, {
            ...(opts.subject ? { subjectId: opts.subject } : {}),
            ...(opts.note ? { note: opts.note } : {}),
            // Only one of the item's candidates: anyone else would take the record and its facts.
            // Checked on the item as the engine restored around the review names it (not the whole
            // engine restored to find it, as before).
            refuse: (review) => (opts.subject ? nonCandidate(review, opts.subject, '--subject') : undefined),
          }).catch((e: unknown) => auditRefusal(dbPath(opts), 'decide', opts.subject, asked, e));
          await auditChange(dbPath(opts), c, {
            record: item,
            verdict: opts.match ? 'same' : 'different',
            note: opts.note ?? null,
          });
          printChange(c, opts.json === true);
        } finally {
          await app.close();
        }
      },
    );

  withDb(identity.command('history').description('Merges, splits, review verdicts and refused merges'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      try {
        const decisions = (await app.store.identityState()).decisions.map((d) => JSON.parse(d) as unknown);
        // Merges, splits and verdicts about people, with operators' notes: logged before they are
        // shown, as the review queue is (one entry, how many decisions).
        auditRead(dbPath(opts), [{ action: 'identity.history.read', detail: { count: decisions.length } }]);
        if (opts.json) printJson({ decisions });
        else process.stdout.write(decisions.map((d) => `${JSON.stringify(d)}\n`).join(''));
      } finally {
        await app.close();
      }
    });
}
