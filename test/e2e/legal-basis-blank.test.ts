import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, ok, type World } from './cli.js';

const rulebook = (legalBasis: string) => `program: shoppers
name: Shoppers
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers:
  - { id: a, min: 0 }
events:
  shop.buy: { category: commerce, fields: { n: number } }
rules:
  - { id: buy, on: shop.buy, points: 1, reason: { code: B, text: Purchases } }
restrictions:
  - { id: no-travel, context: legal, when: "score < 60", legalBasis: ${JSON.stringify(legalBasis)} }
`;

// The context rule (DESIGN.md; EU AI Act Art. 5(1)(c)): a restriction reads only data of its own
// context unless it cites a legal basis. A legalBasis of spaces cited nothing, yet it let a travel
// ban follow from shopping: the rulebook loaded.
describe('a blank legalBasis cites no legal basis (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it.each([['   '], ['\t'], ['\u00a0\u3000']])(
    'refuses %j as the context rule refuses no legalBasis; stores nothing',
    (basis) => {
      w = makeWorld();
      const file = join(w.dir, 'rb.yaml');
      writeFileSync(file, rulebook(basis));
      const r = w.run(['program', 'load', file]);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /restrictions\[0\]\.when: restriction "no-travel" \(context legal\) reads the score, which is fed by commerce data.*CREDENCE_E_RULEBOOK_CONTEXT/,
      );
      expect(w.json<{ programs: unknown[] }>(['program', 'list']).programs).toEqual([]);
    },
  );

  it('loads the same rulebook citing a basis', () => {
    w = makeWorld();
    const file = join(w.dir, 'rb.yaml');
    writeFileSync(file, rulebook('court consumption-restriction order'));
    ok(w.run(['program', 'load', file]));
  });
});
