import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { consentVerdict } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { DAY, T0 } from '../testing/builders.js';
import { explainPerson, PersonState, scorePerson } from './index.js';

// An outside checker: random rulebooks and facts, scored by a naive reading of DESIGN.md
// "Scoring semantics" written independently of the engine, compared with what the engine says
// (the one-shot score, the incremental state and the explanation).

const TYPES = ['a.one', 'a.two', 'b.one'] as const;
const ISO_DAYS = (d: number) => `P${d}D`;

interface RuleSpec {
  on: (typeof TYPES)[number];
  points: number;
  cap?: { max: number; per: number };
  decay?: { kind: 'expires' | 'halfLife'; days: number };
  dim?: 'd1' | 'd2';
  code: string;
}
interface InactSpec {
  of: (typeof TYPES)[number][];
  after: number;
  points: number;
  every?: number;
  limit?: number;
  code: string;
}
interface BookSpec {
  base: number;
  min: number;
  max: number;
  tiers: number[];
  minFacts: number;
  enrollment: 'opt-in' | 'opt-out';
  rules: RuleSpec[];
  inactivity: InactSpec[];
}

const arbRule: fc.Arbitrary<RuleSpec> = fc.record(
  {
    on: fc.constantFrom(...TYPES),
    points: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.constantFrom(-2.5, 0.5, 1.25, -0.75)),
    cap: fc.record({ max: fc.integer({ min: 1, max: 40 }), per: fc.integer({ min: 1, max: 60 }) }),
    decay: fc.record({
      kind: fc.constantFrom('expires' as const, 'halfLife' as const),
      days: fc.integer({ min: 1, max: 120 }),
    }),
    dim: fc.constantFrom('d1' as const, 'd2' as const),
    code: fc.constantFrom('R1', 'R2', 'R3', 'R4', 'R5', 'R6'),
  },
  { requiredKeys: ['on', 'points', 'code'] },
);
const arbInact: fc.Arbitrary<InactSpec> = fc
  .record(
    {
      of: fc.subarray([...TYPES], { minLength: 1 }),
      after: fc.integer({ min: 1, max: 90 }),
      points: fc.integer({ min: -10, max: -1 }),
      every: fc.integer({ min: 1, max: 40 }),
      limit: fc.integer({ min: -60, max: -1 }),
      code: fc.constantFrom('I1', 'I2', 'R1'),
    },
    { requiredKeys: ['of', 'after', 'points', 'code'] },
  )
  .map((r) => r);
const arbBook: fc.Arbitrary<BookSpec> = fc
  .record({
    base: fc.integer({ min: 0, max: 200 }),
    spread: fc.integer({ min: 0, max: 200 }),
    tiers: fc.uniqueArray(fc.integer({ min: -50, max: 450 }), { minLength: 0, maxLength: 4 }),
    minFacts: fc.integer({ min: 0, max: 3 }),
    enrollment: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    rules: fc.array(arbRule, { maxLength: 5 }),
    inactivity: fc.array(arbInact, { maxLength: 2 }),
  })
  .map(({ base, spread, tiers, ...rest }) => {
    const min = base - spread;
    const max = base + spread;
    const sorted = [...tiers].sort((a, b) => b - a).filter((t) => t > min && t <= max);
    return { base, min, max, tiers: [...sorted, min], ...rest };
  });

function yamlOf(b: BookSpec): string {
  const lines = [
    'program: oracle',
    'name: Oracle',
    `enrollment: ${b.enrollment}`,
    `scale: { min: ${b.min}, max: ${b.max}, base: ${b.base} }`,
    'tiers:',
    ...b.tiers.map((m, i) => `  - { id: T${i}, min: ${m} }`),
    'dimensions: [d1, d2]',
    `minFacts: ${b.minFacts}`,
    'events:',
    ...TYPES.map((t) => `  ${t}: { category: commerce, fields: { n: number } }`),
  ];
  if (b.rules.length > 0) lines.push('rules:');
  b.rules.forEach((r, i) => {
    const parts = [
      `id: r${i}`,
      `on: ${r.on}`,
      `points: ${r.points}`,
      `reason: { code: ${r.code}, text: t${r.code} }`,
    ];
    if (r.cap) parts.push(`cap: { max: ${r.cap.max}, per: ${ISO_DAYS(r.cap.per)} }`);
    if (r.decay) parts.push(`decay: { ${r.decay.kind}: ${ISO_DAYS(r.decay.days)} }`);
    if (r.dim) parts.push(`dimension: ${r.dim}`);
    lines.push(`  - { ${parts.join(', ')} }`);
  });
  if (b.inactivity.length > 0) lines.push('inactivity:');
  b.inactivity.forEach((r, i) => {
    const parts = [
      `id: i${i}`,
      `of: [${r.of.join(', ')}]`,
      `after: ${ISO_DAYS(r.after)}`,
      `points: ${r.points}`,
      `reason: { code: ${r.code}, text: t${r.code} }`,
    ];
    if (r.every !== undefined) parts.push(`every: ${ISO_DAYS(r.every)}`);
    if (r.limit !== undefined) parts.push(`limit: ${r.limit}`);
    lines.push(`  - { ${parts.join(', ')} }`);
  });
  return `${lines.join('\n')}\n`;
}

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 50 }),
      source: fc.constantFrom('s1', 's2'),
      type: fc.constantFrom(...TYPES),
      day: fc.integer({ min: 0, max: 200 }),
      half: fc.boolean(),
    })
    .map(
      ({ id, source, type, day, half }): ScoringFact => ({
        key: factKey(source, `f${id}`),
        id: `f${id}`,
        source,
        type,
        at: T0 + day * DAY + (half ? DAY / 2 : 0),
        data: { n: 1 },
      }),
    ),
  { selector: (f) => f.key, maxLength: 25 },
);
const arbConsent = fc.array(
  fc.record({
    action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    at: fc.integer({ min: -5, max: 220 }).map((d) => T0 + d * DAY),
  }),
  { maxLength: 2 },
);

/** DESIGN.md, read as plainly as possible. */
function oracle(b: BookSpec, facts: readonly ScoringFact[], asOf: number, consent: readonly ConsentEvent[]) {
  const verdict = consentVerdict(b.enrollment, consent, asOf);
  if (!verdict.scorable) return { status: 'not-scored', reason: verdict.status };
  const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
  const counted = facts
    .filter((f) => f.at <= asOf && f.at > floor)
    .sort(
      (x, y) => x.at - y.at || (x.source < y.source ? -1 : x.source > y.source ? 1 : x.id < y.id ? -1 : 1),
    );
  if (counted.length < b.minFacts) return { status: 'not-scored', reason: 'insufficient-data' };
  const awarded: { rule: number; at: number; raw: number }[] = [];
  let total = 0;
  const dims = { d1: 0, d2: 0 };
  const byCode = new Map<string, number>();
  const add = (code: string, dim: 'd1' | 'd2' | undefined, p: number) => {
    total += p;
    if (dim) dims[dim] += p;
    byCode.set(code, (byCode.get(code) ?? 0) + p);
  };
  for (const f of counted) {
    b.rules.forEach((r, i) => {
      if (r.on !== f.type || r.points === 0) return;
      let raw = r.points;
      if (r.cap) {
        const cap = r.cap;
        const sum = awarded
          .filter((e) => e.rule === i && e.at > f.at - cap.per * DAY)
          .reduce((s, e) => s + e.raw, 0);
        raw =
          raw >= 0 ? Math.min(raw, Math.max(0, cap.max - sum)) : Math.max(raw, Math.min(0, -cap.max - sum));
      }
      awarded.push({ rule: i, at: f.at, raw });
      let now = raw;
      if (r.decay?.kind === 'expires') now = asOf < f.at + r.decay.days * DAY ? raw : 0;
      if (r.decay?.kind === 'halfLife') now = raw * 0.5 ** ((asOf - f.at) / (r.decay.days * DAY));
      add(r.code, r.dim, now);
    });
  }
  const enrolledAt = verdict.enrolledAt ?? counted[0]?.at;
  for (const r of b.inactivity) {
    const mine = counted.filter((f) => (r.of as string[]).includes(f.type));
    const last = mine.length > 0 ? mine[mine.length - 1]!.at : enrolledAt;
    if (last === undefined || last > asOf) continue;
    const idle = asOf - last;
    if (!(idle > r.after * DAY)) continue;
    let p = r.points * (r.every === undefined ? 1 : 1 + Math.floor((idle - r.after * DAY) / (r.every * DAY)));
    if (r.limit !== undefined) p = Math.max(p, r.limit);
    add(r.code, undefined, p);
  }
  // docs/rulebook.md: the sum read to 12 significant digits, rounded half up; never -0.
  const score = Math.min(b.max, Math.max(b.min, Math.round(Number((b.base + total).toPrecision(12))))) || 0;
  const tierIndex = b.tiers.findIndex((m) => score >= m);
  const r2 = (n: number) => Math.round(n * 100) / 100 || 0;
  const groups = [...byCode.entries()]
    .map(([code, v]) => ({ code, points: r2(v) }))
    .filter((g) => g.points !== 0);
  const deductions = groups.filter((g) => g.points < 0).sort((x, y) => x.points - y.points);
  const additions = groups.filter((g) => g.points > 0).sort((x, y) => y.points - x.points);
  return {
    status: 'scored',
    score,
    tier: `T${tierIndex}`,
    dimensions: { d1: r2(dims.d1), d2: r2(dims.d2) },
    deductions: deductions.map((g) => g.points),
    additions: additions.map((g) => g.points),
    keyFactors: deductions.slice(0, 4).map((g) => g.points),
    codes: groups.map((g) => g.code).sort(),
  };
}

describe('scoring against an independent reading of DESIGN.md', () => {
  it('one-shot score, incremental state and explanation agree with the reading', () => {
    fc.assert(
      fc.property(
        arbBook,
        arbFacts,
        fc.integer({ min: -2, max: 260 }),
        arbConsent,
        (b, facts, day, consent) => {
          const rb: CompiledRulebook = compileRulebook(yamlOf(b), { file: 'oracle.yaml' });
          const asOf = T0 + day * DAY;
          const want = oracle(b, facts, asOf, consent);
          const got = scorePerson(rb, facts, asOf, consent);
          const state = new PersonState(rb);
          for (const f of facts) state.insert(f);
          const incremental = state.score(asOf, consent);
          const explained = explainPerson(rb, facts, asOf, consent).outcome;
          for (const o of [got, incremental, explained]) {
            expect(o.status).toBe(want.status);
            if (o.status === 'scored') {
              expect(o.score).toBe(want.score);
              expect(o.tier).toBe(want.tier);
              expect(o.reasons.map((r) => r.code).sort()).toEqual(want.codes);
              expect(o.dimensions).toEqual(want.dimensions);
              // Deductions first, largest first, then additions, largest first; four key factors.
              const n = o.reasons.filter((r) => r.points < 0).length;
              expect(o.reasons.slice(0, n).map((r) => r.points)).toEqual(want.deductions);
              expect(o.reasons.slice(n).map((r) => r.points)).toEqual(want.additions);
              expect(o.keyFactors.map((r) => r.points)).toEqual(want.keyFactors);
            } else expect(o.reason).toBe(want.reason);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
  it('retractions and suspending disputes, applied to a live state, score as if those facts were never sent', () => {
    fc.assert(
      fc.property(
        arbBook,
        arbFacts,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.integer({ min: -2, max: 260 }),
        arbConsent,
        (b, facts, retractPicks, disputePicks, day, consent) => {
          const rb: CompiledRulebook = compileRulebook(yamlOf(b), { file: 'oracle.yaml' });
          const asOf = T0 + day * DAY;
          const state = new PersonState(rb, facts);
          state.score(asOf, consent); // a view built before the changes must not survive them
          const gone = new Set<string>();
          for (const i of retractPicks) {
            const f = facts[i % Math.max(1, facts.length)];
            if (!f) continue;
            gone.add(f.key);
            state.retract(f.key);
          }
          for (const i of disputePicks) {
            const f = facts[i % Math.max(1, facts.length)];
            if (!f) continue;
            gone.add(f.key);
            state.setDisputed(f.key, true);
          }
          const left = facts.filter((f) => !gone.has(f.key));
          const want = oracle(b, left, asOf, consent);
          const got = state.score(asOf, consent);
          expect(got.status).toBe(want.status);
          if (got.status === 'scored') {
            expect(got.score).toBe(want.score);
            expect(got.dimensions).toEqual(want.dimensions);
          }
          expect(state.explain(asOf, consent).outcome).toEqual(got);
        },
      ),
      { numRuns: 300 },
    );
  });
});
