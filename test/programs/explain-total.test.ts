import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line, makeWorld, ok } from '../e2e/cli.js';

// A score held at its scale's lowest was printed under a ledger whose points did not add up to it
// (base 50, -30 and -30: the score 0, not -10), with nothing saying why. `credence explain` now
// says how the base and the points make the score, as GET /v1/me/explanations gives it (`total`).
const RULEBOOK = `program: late
name: Late
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  utility.late: { category: utility, fields: { days: number } }
rules:
  - { id: late, on: utility.late, points: "-30", reason: { code: U01, text: Late } }
`;

describe('credence explain through the real binary', () => {
  it('says how the base and the points make a score held at the scale’s lowest', () => {
    const w = makeWorld();
    try {
      const file = join(w.dir, 'late.yaml');
      writeFileSync(file, RULEBOOK);
      ok(w.run(['program', 'load', file]));
      const facts = ['2026-04-01', '2026-04-11'].map((d, i) =>
        line({
          id: `l${i}`,
          source: 'water',
          type: 'utility.late',
          occurredAt: `${d}T00:00:00Z`,
          subject: { subjectId: 'bob' },
          data: { days: 15 },
        }),
      );
      ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
      const args = ['explain', 'bob', '--program', 'late', '--as-of', '2026-04-20T00:00:00Z'];
      const out = ok(w.run(args)).stdout;
      expect(out).toMatch(/score 0 /);
      expect(out).toContain(
        'total: The base 50 and your points (-60) add up to -10, below the lowest score this program gives (0): your score is 0.',
      );
      const json = JSON.parse(ok(w.run([...args, '--json'])).stdout);
      expect(json.total).toEqual({
        points: -60,
        sum: -10,
        score: 0,
        what: 'The base 50 and your points (-60) add up to -10, below the lowest score this program gives (0): your score is 0.',
      });
    } finally {
      w.dispose();
    }
  });
});
