import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError, type ErrorDetail } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// Tiers go highest first: a score gets the first tier whose min it reaches, so a tier whose min is
// not below every tier before it is reached by no score. Each tier was compared with the one just
// before it only: in A 500, B 700, C 500 the file was told of B, and of C (which A shadows) only
// once B was fixed. Every such tier is told in one run, naming the tier that shadows it.

const text = (mins: readonly number[]) => `program: t
name: T
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
${mins.map((m, i) => `  - { id: T${i}, min: ${m} }`).join('\n')}
  - { id: LOW, min: 0 }
events:
  e.x: { category: commerce, fields: { n: number } }
`;

function problems(mins: readonly number[]): ErrorDetail[] {
  try {
    compileRulebook(text(mins), { file: 't.yaml' });
    return [];
  } catch (e) {
    if (e instanceof CredenceError) return [...e.details];
    throw e;
  }
}

describe('tiers highest first', () => {
  it('tells every tier an earlier one shadows, not only one above its neighbour', () => {
    const found = problems([500, 700, 500]);
    expect(found.map((p) => p.path)).toEqual(['tiers[1].min', 'tiers[2].min']);
    expect(found[1]?.reason).toContain('"T0" or higher');
  });

  it('leaving out the tiers it names makes the tiers load, in one run', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 7 }), (mins) => {
        const named = new Set(problems(mins).map((p) => p.path));
        const kept = mins.filter((_, i) => !named.has(`tiers[${i}].min`));
        expect(problems(kept)).toEqual([]);
        // And nothing is named that the order alone allows.
        const strictlyFalling = mins.every((m, i) => i === 0 || m < Math.min(...mins.slice(0, i)));
        expect(named.size === 0).toBe(strictlyFalling);
      }),
    );
  });
});
