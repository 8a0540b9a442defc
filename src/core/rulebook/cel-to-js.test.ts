import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { celPolicyContext, factEnvironment, policyEnvironment } from './cel.js';
import { celToJs } from './cel-to-js.js';
import type { FieldType, PolicyInput } from './types.js';

// The compiled JavaScript must give exactly what the CEL interpreter gives, on every input.

const fields: Record<string, FieldType> = {
  amount: 'number',
  days: 'number',
  shop: 'string',
  late: 'boolean',
};
const FACT_EXPRS = [
  'fact.amount >= 100.0 ? 2 : 1',
  'fact.amount > 0.0 && !fact.late',
  'fact.late || fact.days >= 30.0',
  '-(fact.amount / 10.0)',
  'fact.amount * 0.01 + fact.days',
  'fact.shop == "tmall" ? 3 : (fact.shop in ["taobao", "ele"] ? 2 : 0)',
  'size(fact.shop) > 3',
  'fact.shop.startsWith("t") && fact.shop.contains("a")',
  '7 / 2 + 10 % 3 - 2 * 3',
  'fact.days > 90.0 ? -30 : fact.days > 30.0 ? -10 : -5',
  'fact.shop + "x" == "tmallx"',
  'double(3) * fact.amount',
];
const POLICY_EXPRS = [
  "score >= 1030 && !('dishonest-debtor' in flags)",
  "'dishonest-debtor' in flags",
  "tier == 'AAA' || tier == 'AA'",
  "dimensions['finance'] >= 0.0 && score > 600",
  'size(flags) == 0',
  'dimensions.compliance < -10.0 || score < 850',
];

const arbData = fc.record({
  amount: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 500 })),
  days: fc.integer({ min: 0, max: 400 }),
  shop: fc.constantFrom('tmall', 'taobao', 'ele', 'jd', '', 'a'),
  late: fc.boolean(),
});
const arbPolicy: fc.Arbitrary<PolicyInput> = fc.record({
  score: fc.integer({ min: 0, max: 2000 }),
  tier: fc.constantFrom('AAA', 'AA', 'A', 'B', 'C', 'D'),
  dimensions: fc.record({
    finance: fc.double({ min: -100, max: 100, noNaN: true }),
    compliance: fc.double({ min: -100, max: 100, noNaN: true }),
  }),
  flags: fc.subarray(['dishonest-debtor', 'defaulted']),
});

function outcome(f: () => unknown): unknown {
  try {
    const v = f();
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return 'error';
  }
}

describe('celToJs', () => {
  it.each(FACT_EXPRS)('agrees with the interpreter on fact expression %s', (text) => {
    const env = factEnvironment(fields);
    const interpreted = env.parse(text);
    const js = celToJs(interpreted.ast, { kind: 'fact', fields });
    expect(js, 'expected the expression to be compiled').toBeDefined();
    fc.assert(
      fc.property(arbData, (data) => {
        expect(outcome(() => js!(data as never))).toEqual(outcome(() => interpreted({ fact: data })));
      }),
    );
  });

  it.each(POLICY_EXPRS)('agrees with the interpreter on policy expression %s', (text) => {
    const interpreted = policyEnvironment().parse(text);
    const js = celToJs(interpreted.ast, { kind: 'policy' });
    expect(js).toBeDefined();
    fc.assert(
      fc.property(arbPolicy, (input) => {
        expect(outcome(() => js!(input as never))).toEqual(
          outcome(() => interpreted(celPolicyContext(input))),
        );
      }),
    );
  });

  it('leaves expressions outside the subset to the interpreter', () => {
    const env = factEnvironment(fields);
    for (const text of [
      'fact.shop.matches("^t")',
      'timestamp("2026-01-01T00:00:00Z") > timestamp("2025-01-01T00:00:00Z")',
    ]) {
      expect(celToJs(env.parse(text).ast, { kind: 'fact', fields }), text).toBeUndefined();
    }
  });

  it('compiles every expression of the example programs, and agrees on them', () => {
    for (const name of ['marketplace', 'city-civic']) {
      const src = parse(
        readFileSync(new URL(`../../../examples/programs/${name}.yaml`, import.meta.url), 'utf8'),
      );
      for (const rule of src.rules ?? []) {
        const f = src.events[rule.on].fields ?? {};
        const env = factEnvironment(f);
        for (const text of [rule.when, typeof rule.points === 'string' ? rule.points : undefined]) {
          if (!text) continue;
          const interpreted = env.parse(text);
          const js = celToJs(interpreted.ast, { kind: 'fact', fields: f });
          expect(js, `${name} ${rule.id}: ${text}`).toBeDefined();
          const arb = fc.record(
            Object.fromEntries(
              Object.entries(f as Record<string, FieldType>).map(([k, t]) => [
                k,
                t === 'number'
                  ? fc.double({ min: -1e5, max: 1e5, noNaN: true })
                  : t === 'string'
                    ? fc.string()
                    : fc.boolean(),
              ]),
            ),
          );
          fc.assert(
            fc.property(arb, (data) => {
              expect(outcome(() => js!(data as never))).toEqual(outcome(() => interpreted({ fact: data })));
            }),
            { numRuns: 50 },
          );
        }
      }
      for (const p of [...(src.privileges ?? []), ...(src.restrictions ?? [])]) {
        expect(
          celToJs(policyEnvironment().parse(p.when).ast, { kind: 'policy' }),
          `${name} ${p.id}`,
        ).toBeDefined();
      }
    }
  });
});
