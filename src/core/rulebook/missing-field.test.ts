import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFactPoints, compileFactPredicate, factEnvironment } from './cel.js';
import type { FieldType } from './types.js';

// A stored fact sent before a later rulebook version declared one more field of its type lacks
// that field. The interpreter refuses to read it ("No such key"); the compiled JavaScript read
// undefined and went on: `fact.items > 2.0` was false, `!(fact.items > 2.0)` true, `fact.items *
// 1.0` NaN - a rule silently firing or not on data that is not there. A rule's compiled form must
// answer exactly as the interpreter does, missing fields included (CEL's && and || absorb an
// error when the other side decides: `has(fact.items) && fact.items > 2.0` is false).

const fields: Record<string, FieldType> = {
  amount: 'number',
  items: 'number',
  shop: 'string',
  late: 'boolean',
};
const PREDICATES = [
  'fact.items > 2.0',
  '!(fact.items > 2.0)',
  'fact.amount > 1.0 && fact.items > 2.0',
  'fact.items > 2.0 || fact.amount > 1.0',
  'fact.late || fact.items > 2.0',
  'has(fact.items) && fact.items > 2.0',
  'fact.shop == "x" ? fact.items > 1.0 : fact.amount > 1.0',
  'size(fact.shop) > 1',
];
const POINTS = [
  'fact.items * 1.0',
  'fact.amount > 1.0 ? fact.items : 2.0',
  'has(fact.items) ? fact.items : 1.0',
  '-fact.amount',
];

const arbData = fc
  .record({
    amount: fc.integer({ min: 0, max: 5 }),
    items: fc.integer({ min: 0, max: 5 }),
    shop: fc.constantFrom('x', 'yy'),
    late: fc.boolean(),
  })
  .chain((d) =>
    fc.subarray(Object.keys(d), { minLength: 0, maxLength: 2 }).map((gone) => {
      const out: Record<string, unknown> = { ...d };
      for (const k of gone) delete out[k];
      return out;
    }),
  );

function outcome(f: () => unknown): unknown {
  try {
    const v = f();
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return 'error';
  }
}

describe('a rule on a fact that lacks a declared field', () => {
  it.each(PREDICATES)('when %s answers as the interpreter does', (text) => {
    const compiled = compileFactPredicate(fields, text);
    if (!compiled.ok) throw new Error(compiled.reason);
    const interpreted = factEnvironment(fields).parse(text);
    fc.assert(
      fc.property(arbData, (data) => {
        expect(outcome(() => compiled.fn(data))).toEqual(outcome(() => interpreted({ fact: data }) === true));
      }),
    );
  });

  it.each(POINTS)('points %s answers as the interpreter does', (text) => {
    const compiled = compileFactPoints(fields, text);
    if (!compiled.ok) throw new Error(compiled.reason);
    const interpreted = factEnvironment(fields).parse(text);
    fc.assert(
      fc.property(arbData, (data) => {
        expect(outcome(() => compiled.fn(data))).toEqual(outcome(() => interpreted({ fact: data })));
      }),
    );
  });
});
