import { hash } from 'node:crypto';
import { entryHash } from './audit-entry.js';
import type { AuditProblem, AuditVerifyReport } from './audit-verify.js';

/** A stored row as the verifier reads it: seq, at, actor, action, subject, purpose, detail, prev_hash, hash. */
export type AuditRow = [number, number, string, string, string | null, string | null, string, string, string];

/** A stored row as the fast verifier reads it: seq, the sealed text built by SQLite, prev_hash, hash. */
export type SealedRow = [number, string, string, string];

/** The whole stored row of one entry, or undefined when there is none. */
export type RowBySeq = (seq: number) => AuditRow | undefined;

/**
 * Whether an entry's stored hash seals it: the hash of the SQL-built text, else (for any entry
 * where SQLite's escaping might differ from `JSON.stringify`) the exact JavaScript `entryHash` of
 * the stored row. An intact entry always passes, a changed one never does.
 */
function seals(r: SealedRow, rowBySeq: RowBySeq): boolean {
  if (hash('sha256', r[1], 'hex') === r[3]) return true;
  const raw = rowBySeq(r[0]);
  if (!raw) return false;
  const h = entryHash({
    seq: raw[0],
    at: raw[1],
    actor: raw[2],
    action: raw[3],
    subject: raw[4],
    purpose: raw[5],
    detail: raw[6],
    prevHash: raw[7],
  });
  return h === raw[8] && raw[8] === r[3];
}

/** What one worker found in its slice of the chain. */
export interface RangeResult {
  readonly count: number;
  readonly first: { readonly seq: number; readonly prevHash: string } | null;
  readonly last: { readonly seq: number; readonly hash: string } | null;
  readonly problem?: AuditProblem;
  /** The slice's first entry about a person that the subject index does not list. */
  readonly unindexed?: { readonly seq: number; readonly subject: string };
}

/**
 * Checks one slice `[from, to]` of the chain: contiguous seq from `from`, each entry's hash, and
 * each link inside the slice (the link into the slice is checked by whoever joins the slices).
 * Works on raw rows without building objects: this loop runs once per entry of a 10M-entry log.
 * `rowBySeq` reads one whole row for the exact recheck of an entry whose SQL text did not match.
 *
 * @example
 * checkRange(db.prepare(`SELECT ${SEALED_ROW_SQL} FROM audit_log …`).raw().iterate(1, 1e6), 1, 1e6, 1e6, rowBySeq)
 */
export function checkRange(
  rows: Iterable<SealedRow>,
  from: number,
  to: number,
  headSeq: number,
  rowBySeq: RowBySeq,
): RangeResult {
  let expected = from;
  let count = 0;
  let first: RangeResult['first'] = null;
  let prev: string | undefined;
  let lastSeq = 0;
  for (const r of rows) {
    const seq = r[0];
    if (seq !== expected) {
      const problem: AuditProblem =
        seq > expected
          ? {
              kind: 'missing',
              seq: expected,
              reason: `entry ${expected} is missing (the next stored entry is ${seq})`,
            }
          : { kind: 'reordered', seq, reason: `entry ${seq} is out of order (expected entry ${expected})` };
      return { count, first, last: prev ? { seq: lastSeq, hash: prev } : null, problem };
    }
    if (!seals(r, rowBySeq)) {
      return {
        count,
        first,
        last: prev ? { seq: lastSeq, hash: prev } : null,
        problem: {
          kind: 'changed',
          seq,
          reason: `entry ${seq} was changed: its content no longer matches its hash`,
        },
      };
    }
    if (first === null) first = { seq, prevHash: r[2] };
    else if (r[2] !== prev) {
      return {
        count,
        first,
        last: { seq: lastSeq, hash: prev as string },
        problem: {
          kind: 'reordered',
          seq,
          reason: `entry ${seq} does not follow entry ${lastSeq}: the chain was rewritten or reordered here`,
        },
      };
    }
    prev = r[3];
    lastSeq = seq;
    expected = seq + 1;
    count++;
  }
  const end = Math.min(to, headSeq);
  const last = prev ? { seq: lastSeq, hash: prev } : null;
  if (expected <= end) {
    return {
      count,
      first,
      last,
      problem: {
        kind: 'truncated',
        seq: expected,
        reason: `entries ${expected}..${headSeq} are missing: the log was cut after entry ${expected - 1}`,
      },
    };
  }
  return { count, first, last };
}

/**
 * Joins the slices' results in seq order: the first slice must start from the genesis hash, each
 * next one from the previous slice's last hash, and the last entry must be the recorded head.
 * `maxSeq` is the highest seq stored when the head was read (in the same snapshot): above the
 * head, it names entries written around the log.
 * Of all problems found, the one with the lowest seq is the first bad entry.
 */
export function joinRanges(
  results: readonly RangeResult[],
  head: { readonly seq: number; readonly hash: string },
  genesis: string,
  maxSeq = head.seq,
): AuditVerifyReport {
  const problems: AuditProblem[] = [];
  let prevLast: RangeResult['last'] = { seq: 0, hash: genesis };
  let entries = 0;
  let last: RangeResult['last'] = null;
  for (const r of results) {
    entries += r.count;
    if (r.problem) problems.push(r.problem);
    if (r.first && prevLast && r.first.prevHash !== prevLast.hash) {
      problems.push({
        kind: 'reordered',
        seq: r.first.seq,
        reason: `entry ${r.first.seq} does not follow entry ${prevLast.seq}: the chain was rewritten or reordered here`,
      });
    }
    if (r.last) {
      prevLast = r.last;
      last = r.last;
    }
  }
  const tail = last ?? { seq: 0, hash: genesis };
  if (problems.length === 0 && (tail.seq !== head.seq || tail.hash !== head.hash)) {
    problems.push({
      kind: 'head-mismatch',
      seq: Math.min(head.seq, tail.seq + 1) || 1,
      reason: `the recorded head (entry ${head.seq}) does not match the chain's last entry ${tail.seq}`,
    });
  }
  if (problems.length === 0 && maxSeq > head.seq) {
    // Seen in the same snapshot as the head: an append writes both at once, so this is an entry
    // added behind the head's back, not a live append.
    problems.push({
      kind: 'head-mismatch',
      seq: head.seq + 1,
      reason: `entries after the recorded head (entry ${head.seq}) are stored, up to entry ${maxSeq}: they were added without going through the log`,
    });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const problem = problems[0];
  return { ok: problem === undefined, entries, head: tail, ...(problem ? { problem } : {}) };
}
