import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Float64Column, Int32Column, Uint8Column } from './columns.js';

describe('columns', () => {
  it('hold every value pushed, in order, across growth (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 5000 }), (xs) => {
        const ints = new Int32Column();
        const floats = new Float64Column();
        const bytes = new Uint8Column();
        for (const x of xs) {
          ints.push(x);
          floats.push(x / 3);
          bytes.push(x & 0xff);
        }
        expect(ints.length).toBe(xs.length);
        expect([...ints.data.subarray(0, ints.length)]).toEqual(xs);
        expect([...floats.data.subarray(0, floats.length)]).toEqual(xs.map((x) => x / 3));
        expect([...bytes.data.subarray(0, bytes.length)]).toEqual(xs.map((x) => x & 0xff));
      }),
      { numRuns: 30 },
    );
  });
});
