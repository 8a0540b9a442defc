import type { CompiledRulebook } from '../../core/rulebook/index.js';
import { type Explanation, pointWords, round2, scoreTotal } from '../../core/scoring/index.js';
import { formatInstant } from '../../core/time/index.js';
import { scoreText } from './score-text.js';

const pts = (n: number): string => `${n > 0 ? '+' : ''}${round2(n).toFixed(2)}`;
const day = (ms: number | undefined): string =>
  ms === undefined ? '          ' : formatInstant(ms).slice(0, 10);

/**
 * The full ledger behind a score, its counterfactuals and why each privilege or restriction holds.
 * Given the rulebook the explanation was made under (`rb`), each point is followed by two lines in
 * words — the category of the data it comes from and the rule that gave it — as `credence explain`
 * prints them and GET /v1/me/explanations gives `category` and `rule`.
 */
export function explainText(
  subject: string,
  x: Explanation,
  opts: { maxLines?: number; rb?: CompiledRulebook } = {},
): string {
  const out: string[] = [scoreText(subject, x.outcome).trimEnd(), `enrolment: ${x.enrolment}`];
  if (x.outcome.status !== 'scored') return `${out.join('\n')}\n`;
  out.push('', `ledger (base ${x.base}; raw = points awarded after caps, now = after decay at as-of):`);
  const shown =
    opts.maxLines !== undefined && x.contributions.length > opts.maxLines
      ? [...x.contributions].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, opts.maxLines)
      : x.contributions;
  for (const c of shown) {
    const what = c.kind === 'rule' ? `${c.factKey ?? ''} ${c.type ?? ''}` : 'inactivity';
    out.push(
      `  ${day(c.occurredAt)}  ${what.padEnd(44)} ${c.ruleId.padEnd(22)} raw ${pts(c.raw).padStart(8)}  now ${pts(c.points).padStart(8)}  ${c.reason.code} ${c.reason.text}`,
    );
    const words = opts.rb ? pointWords(opts.rb, c) : undefined;
    if (words) out.push(`              data: ${words.data}`, `              rule: ${words.rule}`);
    // A fact its rule's cap cut short: the rule's words alone promise more than the point shows.
    if (c.uncapped !== undefined)
      out.push(
        `              capped: the rule gave ${pts(c.uncapped)} for this fact; its cap left ${pts(c.raw)}`,
      );
  }
  if (shown.length < x.contributions.length) {
    out.push(
      `  ... the ${shown.length} largest of ${x.contributions.length} lines; \`credence explain\` shows all`,
    );
  }
  const total = totalOf(x);
  if (total) out.push(`total: ${total.what}`);
  if (x.flags.length > 0) {
    out.push('', 'flags:');
    for (const f of x.flags) out.push(`  ${f.id}: ${f.text}${f.setBy ? ` (set by ${f.setBy})` : ''}`);
  }
  out.push(
    '',
    x.counterfactuals.length > 0
      ? 'counterfactuals (the score without each reason):'
      : 'counterfactuals: (none)',
  );
  for (const c of x.counterfactuals)
    out.push(`  without ${c.code} ${c.text} (${pts(c.points)}): ${c.without}`);
  out.push(
    '',
    x.policies.length > 0 ? 'privileges and restrictions:' : 'privileges and restrictions: (none)',
  );
  for (const p of x.policies) {
    out.push(
      `  ${p.kind} ${p.id} [${p.context}]: ${p.holds ? 'holds' : 'does not hold'} — ${p.when}${p.legalBasis ? ` (legal basis: ${p.legalBasis})` : ''}`,
    );
    for (const b of p.because) out.push(`      because ${b}`);
  }
  return `${out.join('\n')}\n`;
}

/** How the points make the score, when scored (`scoreTotal`): every point counts, shown or not. */
function totalOf(x: Explanation) {
  if (x.outcome.status !== 'scored') return undefined;
  return scoreTotal(
    x.outcome.scale,
    x.contributions.reduce((sum, c) => sum + c.points, 0),
    x.outcome.score,
  );
}

/** The explanation as JSON, instants as ISO text. */
export function explainJson(subject: string, x: Explanation): Record<string, unknown> {
  const total = totalOf(x);
  return {
    subject,
    ...x,
    ...(total ? { total } : {}),
    outcome: { ...x.outcome, asOf: formatInstant(x.outcome.asOf) },
    contributions: x.contributions.map((c) => ({
      ...c,
      ...(c.occurredAt !== undefined ? { occurredAt: formatInstant(c.occurredAt) } : {}),
    })),
  };
}
