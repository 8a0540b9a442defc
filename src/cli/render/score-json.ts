import { round2, type ScoreOutcome } from '../../core/scoring/index.js';
import { formatInstant } from '../../core/time/index.js';

/**
 * The `credence score --json` object: status; when scored score, tier, dimensions (two
 * decimals), reasons (key factors first), flags, privileges and restrictions; when not scored
 * the reason, and no score key at all.
 */
export function scoreJson(subject: string, o: ScoreOutcome): Record<string, unknown> {
  const head = {
    subject,
    program: o.program,
    version: o.version,
    asOf: formatInstant(o.asOf),
    status: o.status,
  };
  if (o.status === 'not-scored') return { ...head, reason: o.reason };
  const dimensions: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.dimensions)) dimensions[k] = round2(v);
  return {
    ...head,
    score: o.score,
    tier: o.tier,
    dimensions,
    reasons: o.reasons.map((r) => ({ code: r.code, text: r.text, points: round2(r.points) })),
    flags: [...o.flags],
    privileges: { ...o.privileges },
    restrictions: { ...o.restrictions },
  };
}
