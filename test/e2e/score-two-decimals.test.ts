import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from './cli.js';

// `credence score --json` gives dimensions and reason points to two decimals (issue #3). A point
// of 1.005 is 1.00499999999999989... in binary, 2.675 is 2.67499999999999982..., 1.115 is
// 1.11500000000000021...: rounded as stored, the same written half went down for the first two
// and up for the third. A person works their points in decimals, as the score's own rounding does.
const TIPS = `program: tips
name: Tips
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: all, min: 0 }]
dimensions: [giving]
minFacts: 1
events:
  tip.given: { category: payment, fields: { amount: number } }
rules:
  - { id: tip, on: tip.given, points: "fact.amount", dimension: giving, reason: { code: T1, text: Tips given } }
`;

// amount sent -> two decimals, half up, as written -> what explain says base 50 and they add up to
const CASES: [number, number, string][] = [
  [1.005, 1.01, '51.01'],
  [2.675, 2.68, '52.68'],
  [0.145, 0.15, '50.15'],
  [1.115, 1.12, '51.12'],
  [-0.145, -0.14, '49.86'],
  [8.345, 8.35, '58.35'],
];

describe('credence score --json and explain give points to two decimals as written (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld();
    writeFileSync(join(w.dir, 'tips.yaml'), TIPS);
    ok(w.run(['program', 'load', join(w.dir, 'tips.yaml')]));
    const facts = CASES.map(([amount], i) =>
      line({
        id: `t${i}`,
        source: 'cafe',
        type: 'tip.given',
        occurredAt: '2026-06-01T10:00:00Z',
        subject: { phone: `+861350013500${i}` },
        data: { amount },
      }),
    );
    writeFileSync(join(w.dir, 'tips.jsonl'), `${facts.join('\n')}\n`);
    ok(w.run(['ingest', join(w.dir, 'tips.jsonl')]));
  });
  afterAll(() => w.dispose());

  it.each(CASES.map(([amount, shown, sum], i) => [amount, shown, sum, i] as const))(
    'a tip of %s points shows as %s',
    (_amount, shown, sum, i) => {
      const subject = `+861350013500${i}`;
      const s = w.json<{ dimensions: Record<string, number>; reasons: { points: number }[] }>([
        'score',
        subject,
        '--program',
        'tips',
        '--as-of',
        '2026-07-01T00:00:00Z',
      ]);
      expect(s.dimensions.giving).toBe(shown);
      expect(s.reasons[0]?.points).toBe(shown);
      const text = ok(
        w.run(['explain', subject, '--program', 'tips', '--as-of', '2026-07-01T00:00:00Z']),
      ).stdout;
      const signed = `${shown > 0 ? '+' : ''}${shown.toFixed(2)}`;
      expect(text).toContain(`dimensions: giving ${signed}`);
      expect(text).toMatch(new RegExp(`raw +\\${signed} +now +\\${signed}`));
      expect(text).toContain(
        `The base 50 and your points (${shown > 0 ? '+' : ''}${shown}) add up to ${sum}`,
      );
    },
  );
});
