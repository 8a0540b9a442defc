import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { SPECIAL_CATEGORIES } from './categories.js';
import { compileRulebook } from './compile.js';
import { SPECIAL_CATEGORY_WORDS } from './names.js';

// The hard line: a rulebook whose names say it uses special-category data is refused as such
// (CREDENCE_E_RULEBOOK_PROHIBITED, exit 6), naming the place. A privilege or restriction states
// the context of life it belongs to; one set in "religion" or "health" is exactly such a name,
// and must not pass as a mere typo ("not an event category", CREDENCE_E_RULEBOOK_INVALID, exit 3).

const words = [...SPECIAL_CATEGORIES, ...SPECIAL_CATEGORY_WORDS.keys()];

function refusal(text: string): CredenceError {
  try {
    compileRulebook(text, { file: 'ctx.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('a privilege or restriction in a special-category context', () => {
  it('is refused as special-category data, at its context', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.constantFrom('privileges', 'restrictions'),
        fc.boolean(),
        (word, section, upper) => {
          const context = upper ? word.toUpperCase() : word;
          const e = refusal(`program: ctx
name: Ctx
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
${section}:
  - { id: x, context: ${JSON.stringify(context)}, when: "score > 1", legalBasis: "an act" }
`);
          expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
          expect(e.exitCode).toBe(6);
          expect(e.details).toContainEqual(
            expect.objectContaining({
              code: 'CREDENCE_E_RULEBOOK_PROHIBITED',
              file: 'ctx.yaml',
              path: `${section}[0].context`,
              line: 9,
            }),
          );
        },
      ),
    );
  });
});
