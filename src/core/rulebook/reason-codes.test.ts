import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// Reasons are contributions grouped by reason code, each shown with its text (to the person, and
// to relying parties as key factors). A code two rules give with two different texts is shown
// with the first only: the other rule's words would never reach anyone. Such a rulebook is
// refused at the later text, naming the first; rules sharing a code with the same text load.

const arbReasons = fc.array(
  fc.record({
    code: fc.constantFrom('C1', 'C2', 'C3'),
    text: fc.constantFrom('late', 'unpaid'),
    inactivity: fc.boolean(),
  }),
  { minLength: 1, maxLength: 6 },
);

function book(reasons: readonly { code: string; text: string; inactivity: boolean }[]): string {
  const rules = reasons.map((r, i) =>
    r.inactivity
      ? undefined
      : `  - { id: r${i}, on: pay.done, points: -1, reason: { code: ${r.code}, text: ${r.text} } }`,
  );
  const idle = reasons.map((r, i) =>
    r.inactivity
      ? `  - { id: i${i}, of: [pay.done], after: P30D, points: -1, reason: { code: ${r.code}, text: ${r.text} } }`
      : undefined,
  );
  const rs = rules.filter((x) => x !== undefined);
  const is = idle.filter((x) => x !== undefined);
  return `program: codes
name: Codes
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  pay.done: { category: payment, fields: { amount: number } }
${rs.length > 0 ? `rules:\n${rs.join('\n')}\n` : ''}${is.length > 0 ? `inactivity:\n${is.join('\n')}\n` : ''}`;
}

describe('reason codes', () => {
  it('each code has one text: a second text for a code is refused at its place', () => {
    fc.assert(
      fc.property(arbReasons, (reasons) => {
        // Where each reason lands: rules first, then inactivity, each in its order.
        const placed = [
          ...reasons.map((r, i) => ({ ...r, i })).filter((r) => !r.inactivity),
          ...reasons.map((r, i) => ({ ...r, i })).filter((r) => r.inactivity),
        ];
        const paths = { rules: 0, inactivity: 0 };
        const first = new Map<string, string>();
        const want: string[] = [];
        for (const r of placed) {
          const section = r.inactivity ? 'inactivity' : 'rules';
          const path = `${section}[${paths[section]++}].reason.text`;
          const seen = first.get(r.code);
          if (seen === undefined) first.set(r.code, r.text);
          else if (seen !== r.text) want.push(path);
        }
        let got: string[] = [];
        try {
          compileRulebook(book(reasons), { file: 'codes.yaml' });
        } catch (e) {
          if (!(e instanceof CredenceError)) throw e;
          got = e.details.filter((d) => d.reason.includes('reason code')).map((d) => d.path as string);
        }
        expect(got).toEqual(want);
      }),
    );
  });
});
