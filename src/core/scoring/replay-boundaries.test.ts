// DESIGN.md: the score is a pure function of (facts, rulebook, asOf). Beside properties.test.ts
// and arrival-order.test.ts (which query on a grid of whole days): here one live state takes
// inserts, batches, retractions, disputes opened and closed, and score queries in between (so a
// stale view or subset would show), and is then asked at every instant where something changes —
// each fact's instant, the end of its decay, its deletion by retention, the start of each
// inactivity period, each consent — one millisecond either side included. At each, it must answer
// what a fresh engine fed only the facts up to then answers. The two example programs (the 350–950
// marketplace, the 1000-point civic scheme, tiers AAA…D) run beside a test rulebook built to put
// every boundary within a few weeks.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { buildLedger, explainPerson, PersonState, scorePerson } from './index.js';

const tight = (suspend: boolean) =>
  rulebook(`minFacts: 2
disputes: { suspend: ${suspend} }
events:
  pay.done: { category: payment, fields: { amount: number }, retain: P40D }
  court.listed: { category: legal, fields: { case: string }, retain: P50D }
  court.removed: { category: legal, fields: { case: string }, retain: P50D }
  reg.listed: { category: legal, fields: { file: string } }
  reg.removed: { category: legal, fields: { file: string } }
rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 100.0 ? 4 : -3", cap: { max: 7, per: P7D }, dimension: d2, decay: { expires: P10D }, reason: { code: F10, text: Payments } }
  - { id: big, on: pay.done, when: "fact.amount > 500.0", points: 2.5, dimension: d2, decay: { halfLife: P3D }, reason: { code: F11, text: Large payments } }
  - { id: lst, on: court.listed, points: -9, cap: { max: 12, per: P5D }, decay: { expires: P20D }, dimension: d1, reason: { code: C01, text: Listed } }
  - { id: reg, on: reg.listed, points: -4, reason: { code: C02, text: Registered } }
inactivity:
  - { id: dormant, of: [pay.done], after: P6D, points: -5, every: P2D, limit: -20, dimension: d2, reason: { code: F90, text: Dormant } }
  - { id: quiet, of: [pay.done, court.removed], after: P9D, points: -1, reason: { code: F91, text: Quiet } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L01, text: Listed } }
  - { id: registered, set: reg.listed, clear: reg.removed, reason: { code: L02, text: Registered } }
privileges:
  - { id: perk, context: payment, when: "dimensions['d2'] >= 4.0" }
restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags || 'registered' in flags", legalBasis: "court order" }
`);

const example = (name: string): CompiledRulebook =>
  compileRulebook(readFileSync(new URL(`../../../examples/programs/${name}.yaml`, import.meta.url), 'utf8'), {
    file: `${name}.yaml`,
  });

const BOOKS: Readonly<Record<string, CompiledRulebook>> = {
  'tight, disputes suspend': tight(true),
  'tight, disputes count': tight(false),
  marketplace: example('marketplace'),
  'city-civic': example('city-civic'),
};

/** A value for a declared field: few distinct ones, so flag keys pair and thresholds are crossed. */
function arbValue(type: string): fc.Arbitrary<FieldValue> {
  if (type === 'number') return fc.constantFrom(0, 5, 10, 99.5, 100, 150, 200, 600, 1500, 12000);
  if (type === 'boolean') return fc.boolean();
  return fc.constantFrom('A', 'B');
}

/** Facts of the rulebook's own event types, on instants a few hours apart over ~80 days. */
function arbFactsFor(rb: CompiledRulebook): fc.Arbitrary<ScoringFact[]> {
  const types = Object.keys(rb.events).sort();
  const arbFact = fc
    .record({
      id: fc.integer({ min: 0, max: 40 }),
      source: fc.constantFrom('a', 'b'),
      type: fc.constantFrom(...types),
      // Quarter days, so many facts share an instant and ties go by (source, id).
      quarter: fc.integer({ min: 0, max: 320 }),
      ms: fc.constantFrom(0, 0, 1),
    })
    .chain(({ id, source, type, quarter, ms }) => {
      const fields = Object.entries((rb.events[type] as { fields: Record<string, string> }).fields);
      return fc.tuple(...fields.map(([, t]) => arbValue(t))).map(
        (values): ScoringFact => ({
          key: factKey(source, `f${id}`),
          id: `f${id}`,
          source,
          type,
          at: T0 + quarter * (DAY / 4) + ms,
          data: Object.fromEntries(fields.map(([k], i) => [k, values[i] as FieldValue])),
        }),
      );
    });
  return fc.uniqueArray(arbFact, { selector: (f) => f.key, maxLength: 18 });
}

type Op =
  | { kind: 'insert'; facts: ScoringFact[] }
  | { kind: 'retract' | 'dispute' | 'undispute'; pick: number }
  | { kind: 'query'; at: number };

const arbOps = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('retract' as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('dispute' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('undispute' as const), pick: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('query' as const),
        at: fc.integer({ min: -2, max: 90 }).map((d) => T0 + d * DAY),
      }),
    },
  ) as fc.Arbitrary<Op>,
  { maxLength: 14 },
);

const arbConsent = fc.array(
  fc.record({
    action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    at: fc.integer({ min: -8, max: 320 }).map((q) => T0 + q * (DAY / 4)),
  }),
  { maxLength: 2 },
);

/** Every instant where a score may change, and one millisecond either side. */
function boundaries(
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  consent: readonly ConsentEvent[],
): number[] {
  const out = new Set<number>();
  const add = (t: number) => {
    for (const d of [-1, 0, 1]) out.add(t + d);
  };
  for (const c of consent) add(c.at);
  for (const f of facts) {
    add(f.at);
    const retain = rb.events[f.type]?.retainMs;
    if (retain !== undefined) add(f.at + retain);
    for (const r of rb.rulesByType.get(f.type) ?? []) if (r.decay.kind === 'expires') add(f.at + r.decay.ms);
    for (const r of rb.inactivity) {
      add(f.at + r.afterMs);
      if (r.everyMs !== undefined) for (let k = 1; k <= 3; k++) add(f.at + r.afterMs + k * r.everyMs);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Applies the facts to a live state in a shuffled arrival order, cut into batches, with the other
 * operations spread between, then holds it to a fresh engine at every boundary.
 */
function replayHolds(
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  cuts: readonly number[],
  extra: readonly Op[],
  seed: number,
  consent: readonly ConsentEvent[],
): void {
  // Arrival order: shuffled, cut into batches, with the other operations spread between.
  const arrival = fc.sample(fc.shuffledSubarray([...facts], { minLength: facts.length }), {
    seed,
    numRuns: 1,
  })[0] as ScoringFact[];
  const ops: Op[] = [];
  let i = 0;
  for (const n of cuts) {
    if (i >= arrival.length) break;
    ops.push({ kind: 'insert', facts: arrival.slice(i, i + n + 1) });
    i += n + 1;
  }
  for (const f of arrival.slice(i)) ops.push({ kind: 'insert', facts: [f] });
  extra.forEach((op, k) => {
    ops.splice(Math.min(ops.length, (k * 7 + seed) % (ops.length + 1)), 0, op);
  });

  const live = new PersonState(rb);
  const held = new Map<string, ScoringFact>();
  const retracted = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'insert') {
      const fresh = op.facts.filter((f) => !retracted.has(f.key) && !held.has(f.key));
      if (fresh.length === 1) live.insert(fresh[0] as ScoringFact);
      else if (fresh.length > 1) live.insertMany(fresh.map((fact) => ({ fact })));
      for (const f of fresh) held.set(f.key, f);
    } else if (op.kind === 'query') {
      live.score(op.at, consent); // builds views and subsets the next change must drop
    } else {
      const keys = [...held.keys()];
      if (keys.length === 0) continue;
      const key = keys[op.pick % keys.length] as string;
      const f = held.get(key) as ScoringFact;
      if (op.kind === 'retract') {
        live.retract(key);
        held.delete(key);
        retracted.add(key);
      } else {
        const disputed = op.kind === 'dispute';
        live.setDisputed(key, disputed);
        held.set(key, { ...f, disputed });
      }
    }
  }
  const survivors = [...held.values()];
  for (const t of boundaries(rb, facts, consent)) {
    const past = survivors.filter((f) => f.at <= t);
    const want = scorePerson(rb, past, t, consent);
    expect(live.score(t, consent)).toEqual(want);
    expect(scorePerson(rb, survivors, t, consent)).toEqual(want);
    expect(new PersonState(rb, past).score(t, consent)).toEqual(want);
    expect(live.explain(t, consent).outcome).toEqual(want);
    expect(explainPerson(rb, survivors, t, consent).outcome).toEqual(want);
  }
}

describe('as-of replay at every boundary, after any interleaving of inserts, retractions and disputes', () => {
  it('a live state answers at every instant what a fresh engine fed only the facts up to then answers', () => {
    fc.assert(
      fc.property(
        // The rulebook by name, so a counterexample prints its name rather than the compiled object.
        fc
          .constantFrom(...Object.keys(BOOKS))
          .chain((name) =>
            fc.tuple(
              fc.constant(name),
              arbFactsFor(BOOKS[name] as CompiledRulebook),
              fc.array(fc.nat({ max: 4 }), { maxLength: 8 }),
              arbOps,
              fc.nat(),
              arbConsent,
            ),
          ),
        ([name, facts, cuts, extra, seed, consent]) =>
          replayHolds(BOOKS[name] as CompiledRulebook, facts, cuts, extra, seed, consent),
      ),
      { numRuns: 100 },
    );
  });
});

/** A random rulebook: any mix of caps, decays, retention, inactivity, keyed flags and consent. */
const arbBookText = fc
  .record({
    enrollment: fc.constantFrom('opt-in', 'opt-out'),
    minFacts: fc.integer({ min: 0, max: 3 }),
    suspend: fc.boolean(),
    retain: fc.array(fc.option(fc.integer({ min: 2, max: 60 }), { nil: undefined }), {
      minLength: 3,
      maxLength: 3,
    }),
    flagRetain: fc.option(fc.tuple(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 0, max: 30 })), {
      nil: undefined,
    }),
    flagKey: fc.boolean(),
    rules: fc.array(
      fc.record(
        {
          on: fc.integer({ min: 0, max: 3 }),
          points: fc.constantFrom('5', '-7', '2.5', '"fact.n > 100.0 ? 4 : -3"', '"fact.n / 50.0"'),
          when: fc.constant('"fact.k == \'A\'"'),
          cap: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 15 })),
          decay: fc.tuple(fc.constantFrom('expires', 'halfLife'), fc.integer({ min: 1, max: 30 })),
          dim: fc.constantFrom('d1', 'd2'),
        },
        { requiredKeys: ['on', 'points'] },
      ),
      { maxLength: 5 },
    ),
    inactivity: fc.array(
      fc.record(
        {
          of: fc.subarray([0, 1, 2, 3], { minLength: 1 }),
          after: fc.integer({ min: 1, max: 20 }),
          points: fc.integer({ min: -6, max: -1 }),
          every: fc.integer({ min: 1, max: 6 }),
          limit: fc.integer({ min: -30, max: -1 }),
        },
        { requiredKeys: ['of', 'after', 'points'] },
      ),
      { maxLength: 2 },
    ),
  })
  .map((b) => {
    const types = ['e.a', 'e.b', 'e.c', 'e.listed'];
    const retain = (d: number | undefined) => (d === undefined ? '' : `, retain: P${d}D`);
    const [setKeep, extra] = b.flagRetain ?? [];
    const lines = [
      'program: random',
      'name: Random',
      `enrollment: ${b.enrollment}`,
      'scale: { min: -100, max: 300, base: 100 }',
      'tiers: [{ id: T0, min: 150 }, { id: T1, min: 100 }, { id: T2, min: -100 }]',
      'dimensions: [d1, d2]',
      `minFacts: ${b.minFacts}`,
      `disputes: { suspend: ${b.suspend} }`,
      'events:',
      ...b.retain.map(
        (d, i) => `  ${types[i]}: { category: commerce, fields: { n: number, k: string }${retain(d)} }`,
      ),
      // The removal is kept at least as long as the listing (docs/rulebook.md, Flags).
      `  e.listed: { category: legal, fields: { n: number, k: string }${retain(setKeep)} }`,
      `  e.removed: { category: legal, fields: { n: number, k: string }${retain(setKeep === undefined ? undefined : setKeep + (extra as number))} }`,
    ];
    if (b.rules.length > 0) lines.push('rules:');
    b.rules.forEach((r, i) => {
      const parts = [
        `id: r${i}`,
        `on: ${types[r.on]}`,
        `points: ${r.points}`,
        `reason: { code: R${i % 3}, text: t${i % 3} }`,
      ];
      if (r.when) parts.push(`when: ${r.when}`);
      if (r.cap) parts.push(`cap: { max: ${r.cap[0]}, per: P${r.cap[1]}D }`);
      if (r.decay) parts.push(`decay: { ${r.decay[0]}: P${r.decay[1]}D }`);
      if (r.dim) parts.push(`dimension: ${r.dim}`);
      lines.push(`  - { ${parts.join(', ')} }`);
    });
    if (b.inactivity.length > 0) lines.push('inactivity:');
    b.inactivity.forEach((r, i) => {
      const parts = [
        `id: i${i}`,
        `of: [${r.of.map((t) => types[t]).join(', ')}]`,
        `after: P${r.after}D`,
        `points: ${r.points}`,
        `reason: { code: I${i}, text: i${i} }`,
      ];
      if (r.every !== undefined) parts.push(`every: P${r.every}D`);
      if (r.limit !== undefined) parts.push(`limit: ${r.limit}`);
      lines.push(`  - { ${parts.join(', ')} }`);
    });
    lines.push(
      'flags:',
      `  - { id: listed, set: e.listed, clear: e.removed${b.flagKey ? ', key: [k]' : ''}, reason: { code: L, text: listed } }`,
      'restrictions:',
      `  - { id: barred, context: legal, when: "'listed' in flags", legalBasis: "order" }`,
    );
    return `${lines.join('\n')}\n`;
  });

describe('as-of replay under random rulebooks', () => {
  it('any rulebook: a live state answers at every boundary what a fresh engine answers', () => {
    fc.assert(
      fc.property(
        arbBookText.chain((text) => {
          const rb = compileRulebook(text, { file: 'random.yaml' });
          return fc.tuple(
            fc.constant(text),
            arbFactsFor(rb),
            fc.array(fc.nat({ max: 4 }), { maxLength: 8 }),
            arbOps,
            fc.nat(),
            arbConsent,
          );
        }),
        ([text, facts, cuts, extra, seed, consent]) =>
          replayHolds(compileRulebook(text, { file: 'random.yaml' }), facts, cuts, extra, seed, consent),
      ),
      { numRuns: 100 },
    );
  });
});

describe('time translation', () => {
  it('moving every fact, consent and the as-of by the same amount changes nothing but the as-of', () => {
    fc.assert(
      fc.property(
        arbBookText.chain((text) =>
          fc.tuple(
            fc.constant(text),
            arbFactsFor(compileRulebook(text, { file: 'random.yaml' })),
            arbConsent,
            fc.integer({ min: -20 * 365, max: 20 * 365 }),
            fc.integer({ min: 0, max: DAY - 1 }),
            fc.integer({ min: -2, max: 90 }),
          ),
        ),
        ([text, facts, consent, days, ms, asOfDay]) => {
          const rb = compileRulebook(text, { file: 'random.yaml' });
          const d = days * DAY + ms;
          const asOf = T0 + asOfDay * DAY;
          const moved = facts.map((f) => ({ ...f, at: f.at + d }));
          const movedConsent = consent.map((c) => ({ ...c, at: c.at + d }));
          const here = scorePerson(rb, facts, asOf, consent);
          expect(scorePerson(rb, moved, asOf + d, movedConsent)).toEqual({ ...here, asOf: asOf + d });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('caps under random rulebooks', () => {
  it('no window (t − per, t] of a capped rule awards more than max either way, fractional points included', () => {
    fc.assert(
      fc.property(
        arbBookText.chain((text) =>
          fc.tuple(fc.constant(text), arbFactsFor(compileRulebook(text, { file: 'random.yaml' }))),
        ),
        ([text, facts]) => {
          const rb = compileRulebook(text, { file: 'random.yaml' });
          const ledger = buildLedger(rb, facts);
          for (const rule of rb.rules) {
            if (!rule.cap) continue;
            const { max, perMs } = rule.cap;
            const mine = ledger.filter((e) => e.ruleId === rule.id);
            for (const end of mine) {
              for (const start of mine) {
                // Every window that ends at an entry and reaches back to another within `per`.
                if (start.at > end.at || start.at <= end.at - perMs) continue;
                const sum = mine
                  .filter((e) => e.at >= start.at && e.at <= end.at)
                  .reduce((s, e) => s + e.raw, 0);
                expect(Math.abs(sum)).toBeLessThanOrEqual(max + 1e-9);
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
