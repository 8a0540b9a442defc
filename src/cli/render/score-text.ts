import { round2, type ScoreOutcome } from '../../core/scoring/index.js';
import { formatInstant } from '../../core/time/index.js';

const pts = (n: number): string => `${n > 0 ? '+' : ''}${round2(n).toFixed(2)}`;
const yesNo = (m: Readonly<Record<string, boolean>>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`)
    .join(', ') || '(none)';

/** A score for people: the number, the tier, the reasons that moved it most. */
export function scoreText(subject: string, o: ScoreOutcome): string {
  const head = `${subject} in ${o.program} (rulebook v${o.version}) as of ${formatInstant(o.asOf)}\n`;
  if (o.status === 'not-scored') return `${head}not scored: ${o.reason}\n`;
  const lines = [
    head.trimEnd(),
    `score ${o.score} (scale ${o.scale.min}-${o.scale.max}, base ${o.scale.base})  tier ${o.tier}`,
    `dimensions: ${
      Object.entries(o.dimensions)
        .map(([k, v]) => `${k} ${pts(v)}`)
        .join(', ') || '(none)'
    }`,
    // Reasons whose points sum to zero are left out: say so rather than print an empty list.
    o.reasons.length > 0
      ? 'reasons (key factors first):'
      : 'reasons: (none: no reason code sums to other than 0)',
    ...o.reasons.map((r) => `  ${r.code.padEnd(5)} ${pts(r.points).padStart(8)}  ${r.text}`),
    `flags: ${o.flags.join(', ') || '(none)'}`,
    `privileges: ${yesNo(o.privileges)}`,
    `restrictions: ${yesNo(o.restrictions)}`,
  ];
  return `${lines.join('\n')}\n`;
}
