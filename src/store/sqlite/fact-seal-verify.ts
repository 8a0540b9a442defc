import type Database from 'better-sqlite3';
import { type FactSeal, type FactSealReport, readFactSeal, type SealCheckpoint } from './fact-seal.js';
import { hex, MOD } from './row-digest.js';
import { type FactRangeSum, sumFacts } from './seal-ranges.js';

/** The checkpoints a seal must still match (none from before its last purge), in seq order. */
export function dueCheckpoints(stored: FactSeal, checkpoints: readonly SealCheckpoint[]): SealCheckpoint[] {
  return checkpoints
    .filter((c) => c.seal.epoch === stored.epoch)
    .sort((a, b) => a.seal.through - b.seal.through || a.entry - b.entry);
}

/** The seqs to take running sums at: each due checkpoint's `through`, once, ascending. */
export const checkpointPoints = (due: readonly SealCheckpoint[]): number[] => [
  ...new Set(due.map((c) => c.seal.through)),
];

export const sealMissing = (facts: number): Extract<FactSealReport, { ok: false }> => ({
  ok: false,
  facts,
  path: 'fact_seal',
  reason: 'the seal over the facts is missing (deleted from the file)',
});

/**
 * Judges the facts from the sums of consecutive seq ranges that together cover the table, in seq
 * order (one range when read on one thread, one per worker otherwise): against each due checkpoint
 * (the first the rows no longer match is named; a checkpoint covers the rows up to its `through`,
 * so it also says where to look), each body against its digest, and the whole against the stored
 * seal. Problems are named in seq order, as one scan would meet them.
 */
export function foldFactSums(
  stored: FactSeal,
  facts: number,
  due: readonly SealCheckpoint[],
  parts: readonly FactRangeSum[],
): FactSealReport {
  const at = new Map<number, { count: number; sum: bigint }>();
  let count = 0;
  let sum = 0n;
  let edited: FactRangeSum['bodyEdited'];
  for (const p of parts) {
    for (const x of p.prefixes)
      at.set(x.through, { count: count + x.count, sum: (sum + BigInt(`0x${x.digest}`)) & MOD });
    count += p.count;
    sum = (sum + BigInt(`0x${p.digest}`)) & MOD;
    if (p.bodyEdited) {
      edited = p.bodyEdited;
      break;
    }
  }
  for (const c of due) {
    // Rows from an edited body on were not summed: that body is the first problem in seq order.
    if (edited && c.seal.through >= edited.seq) break;
    const now = at.get(c.seal.through) ?? { count, sum };
    if (now.count !== c.seal.count || hex(now.sum) !== c.seal.digest) {
      return {
        ok: false,
        facts,
        path: `audit_log[seq=${c.entry}]`,
        reason: `entry ${c.entry} (${c.action}) sealed the ${c.seal.count} facts stored up to seq ${c.seal.through}; ${
          now.count === c.seal.count ? 'as many are there now, but' : `${now.count} are there now, and they`
        } do not match it: a fact stored by then was changed, removed or added outside Credence`,
      };
    }
  }
  if (edited) {
    return {
      ok: false,
      facts,
      path: `facts[seq=${edited.seq}]`,
      reason: `fact ${edited.source}/${edited.id} (seq ${edited.seq}): its body no longer matches the digest stored with it (edited outside Credence)`,
    };
  }
  if (stored.count !== count || stored.digest !== hex(sum)) {
    return {
      ok: false,
      facts,
      path: 'facts',
      reason: `the facts no longer match their seal (${count} rows, ${stored.count} sealed): a fact was changed, removed or added outside Credence`,
    };
  }
  return { ok: true, facts, seal: stored };
}

/**
 * Recomputes the seal from the rows, on this thread, and judges them (`foldFactSums`). Run inside
 * the caller's read transaction, so the rows, the seal and the checkpoints are of one moment.
 */
export function verifyFactSeal(
  db: Database.Database,
  checkpoints: readonly SealCheckpoint[],
): FactSealReport {
  const stored = readFactSeal(db);
  const facts = (db.prepare('SELECT count(*) FROM facts').pluck().get() as number) ?? 0;
  if (!stored) return sealMissing(facts);
  const due = dueCheckpoints(stored, checkpoints);
  return foldFactSums(stored, facts, due, [sumFacts(db, undefined, undefined, checkpointPoints(due))]);
}
