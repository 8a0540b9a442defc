import { type CredenceError, isCredenceError } from '../../core/errors/index.js';
import type { ScoreOutcome } from '../../core/scoring/types.js';
import { isRefusedVersion } from '../../ingest/program-set.js';
import type { ScoreRow } from '../../store/store.js';

/**
 * The person's copy of their file lists their score in each program as of the copy's own time, as
 * `GET /v1/me/scores/{program}` gives it then, not the score cached when their latest fact was
 * stored: that one is as of another day (points fade, a dispute marks a fact, a rulebook version
 * takes effect), and a person reading 597 in their file and 557 from the score route could not
 * tell which was theirs (decided: one number, today's, dated).
 *
 * `scoreNow` refusing with a CredenceError (no version of the program in force at `now`) keeps the
 * cached row, whose `asOf` says when it was computed. A version refused when compiled (the hard
 * line, or a check of this build it no longer passes) is not that: the number it cached is not shown as the person's score, since the program scores no one
 * under it; the row says `not-scored`, reason `rulebook-refused`, under the refused version.
 */
export async function scoresAsOfNow(
  cached: readonly ScoreRow[],
  scoreNow: (program: string) => Promise<ScoreOutcome> | ScoreOutcome,
  now?: number,
  loaded?: { readonly subject: string; readonly programs: readonly string[] },
): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  // Every loaded program gets its row, a program that caches nothing for the person too (opted
  // out, not enrolled, too few facts): a copy that left it out told them nothing of why.
  const rows: readonly ScoreRow[] = loaded
    ? [
        ...cached,
        ...loaded.programs
          .filter((p) => !cached.some((r) => r.program === p))
          .map((program) => ({ ...NOT_CACHED, subject: loaded.subject, program })),
      ].sort((a, b) => (a.program < b.program ? -1 : a.program > b.program ? 1 : 0))
    : cached;
  for (const row of rows) {
    let o: ScoreOutcome;
    try {
      o = await scoreNow(row.program);
    } catch (e) {
      // Only a refusal by name (no version in force, a version refused when compiled): any
      // other failure is not hidden behind an old number.
      if (!isCredenceError(e)) throw e;
      if (row.version === NOT_CACHED.version && !isRefusedVersion(e)) continue; // nothing in force, nothing cached
      out.push(isRefusedVersion(e) ? refusedRow(row, e, now) : row);
      continue;
    }
    out.push({
      subject: row.subject,
      program: o.program,
      version: o.version,
      asOf: o.asOf,
      status: o.status,
      score: o.status === 'scored' ? o.score : null,
      tier: o.status === 'scored' ? o.tier : null,
      reason: o.status === 'scored' ? null : o.reason,
    });
  }
  return out;
}

/** A loaded program with no cached row, until it is scored now (version 0: none was cached). */
const NOT_CACHED = {
  version: 0,
  asOf: 0,
  status: 'not-scored',
  score: null,
  tier: null,
  reason: null,
} as const;

/**
 * The row of a program whose version in force is refused: no number, which version (`notes v2`),
 * as of the copy (`now`) like the rows around it, not of the number it replaces.
 */
function refusedRow(cached: ScoreRow, e: CredenceError, now: number | undefined): ScoreRow {
  const named = /\bv(\d+)$/.exec(e.details[0]?.file ?? '')?.[1];
  return {
    ...cached,
    asOf: now ?? cached.asOf,
    version: named === undefined ? cached.version : Number(named),
    status: 'not-scored',
    score: null,
    tier: null,
    reason: 'rulebook-refused',
  };
}
