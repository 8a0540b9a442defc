import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from '../e2e/cli.js';

// Two rulebooks an operator wrote from DESIGN.md and docs/rulebook.md alone, run through the real
// binary on a real database, each score checked against DESIGN.md's formulas worked by hand for
// these facts (not against the engine): a town's points scheme with a second version in force from
// 1 March, and a bureau's 350-950 band score whose statement rule gives or takes points under one
// cap. Facts arrive out of order, one twice, and a listing is retracted.

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const half = (raw: number, from: string, asOf: string, halfLifeDays: number) =>
  raw * 0.5 ** ((at(asOf) - at(from)) / (halfLifeDays * DAY));
/** DESIGN.md: clamp(round(base + Σ)), halves up. */
const score = (base: number, total: number, min: number, max: number) =>
  Math.min(max, Math.max(min, Math.floor(base + total + 0.5)));

const TOWN_V1 = `program: town-points
name: Town points
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers:
  - { id: AAA, min: 1050 }
  - { id: A, min: 960 }
  - { id: B, min: 850 }
  - { id: D, min: 0 }
dimensions: [compliance, civic]
events:
  court.unpaid: { category: legal, fields: { amount: number } }
  court.listed: { category: legal, fields: { court: string, case: string } }
  court.removed: { category: legal, fields: { court: string, case: string } }
  utility.late: { category: utility, fields: { days: number } }
  utility.paid: { category: utility, fields: { amount: number } }
rules:
  - { id: unpaid, on: court.unpaid, points: -30, dimension: compliance, decay: { expires: P10D }, reason: { code: C01, text: Unpaid judgment } }
  - { id: late, on: utility.late, points: "-(fact.days / 3.0)", cap: { max: 15, per: P30D }, dimension: civic, decay: { halfLife: P20D }, reason: { code: U01, text: Late utility fees } }
  - { id: paid, on: utility.paid, points: 0.5, dimension: civic, reason: { code: U02, text: Utility paid } }
inactivity:
  - { id: quiet, of: [utility.paid], after: P30D, points: -2, every: P7D, limit: -9, dimension: civic, reason: { code: U09, text: No utility payments } }
flags:
  - { id: listed-debtor, set: court.listed, clear: court.removed, key: [court, case], reason: { code: L01, text: Listed debtor } }
restrictions:
  - { id: no-subsidy, context: legal, when: "'listed-debtor' in flags" }
`;
// Version 2, in force from 1 March: an unpaid judgment takes 40.
const TOWN_V2 = TOWN_V1.replace('points: -30', 'points: -40').replace(
  'name: Town points',
  'name: Town points\neffectiveFrom: 2026-03-01T00:00:00Z',
);

const BUREAU = `program: band-bureau
name: Band bureau score
enrollment: opt-out
scale: { min: 350, max: 950, base: 600 }
tiers:
  - { id: b800, min: 800 }
  - { id: b600, min: 600 }
  - { id: b350, min: 350 }
minFacts: 2
events:
  card.statement: { category: credit, fields: { late_days: number } }
rules:
  - { id: statement, on: card.statement, points: "fact.late_days > 0.0 ? -10 : 10", cap: { max: 10, per: P30D }, reason: { code: R1, text: Card statements } }
`;

const bob = { subjectId: 'bob' };
const town = [
  // Out of order, and p1 twice.
  {
    id: 'p2',
    source: 'water',
    type: 'utility.paid',
    occurredAt: '2026-02-10T00:00:00Z',
    data: { amount: 30 },
  },
  {
    id: 'p1',
    source: 'water',
    type: 'utility.paid',
    occurredAt: '2026-01-05T00:00:00Z',
    data: { amount: 30 },
  },
  {
    id: 'j1',
    source: 'court',
    type: 'court.unpaid',
    occurredAt: '2026-02-20T00:00:00Z',
    data: { amount: 500 },
  },
  { id: 'l2', source: 'water', type: 'utility.late', occurredAt: '2026-01-20T00:00:00Z', data: { days: 30 } },
  { id: 'l1', source: 'water', type: 'utility.late', occurredAt: '2026-01-10T00:00:00Z', data: { days: 30 } },
  {
    id: 'k1',
    source: 'court',
    type: 'court.listed',
    occurredAt: '2026-01-15T00:00:00Z',
    data: { court: 'X', case: '1' },
  },
  {
    id: 'k2',
    source: 'court',
    type: 'court.listed',
    occurredAt: '2026-01-16T00:00:00Z',
    data: { court: 'X', case: '2' },
  },
  {
    id: 'k3',
    source: 'court',
    type: 'court.removed',
    occurredAt: '2026-02-01T00:00:00Z',
    data: { court: 'X', case: '1' },
  },
  {
    id: 'p1',
    source: 'water',
    type: 'utility.paid',
    occurredAt: '2026-01-05T00:00:00Z',
    data: { amount: 30 },
  },
].map((f) => line({ ...f, subject: bob }));

const carol = { subjectId: 'carol' };
const statements = [
  // -10 on 1 Jan, then +10 on 6 and 11 Jan: under max 10 per 30 days the third gets 0.
  ['s3', '2026-01-11T00:00:00Z', 0],
  ['s1', '2026-01-01T00:00:00Z', 5],
  ['s2', '2026-01-06T00:00:00Z', 0],
  // A window later: a fresh +10.
  ['s4', '2026-03-01T00:00:00Z', 0],
].map(([id, occurredAt, late]) =>
  line({ id, source: 'bank', type: 'card.statement', occurredAt, subject: carol, data: { late_days: late } }),
);

type Scored = {
  status: string;
  version: number;
  score: number;
  tier: string;
  flags: string[];
  restrictions: Record<string, boolean>;
};

describe('rulebooks written from the docs, scored as DESIGN.md computes them (real binary)', () => {
  let w: World;
  const scoreOf = (program: string, subject: string, asOf: string) =>
    w.json<Scored>(['score', subject, '--program', program, '--as-of', asOf]);

  beforeAll(() => {
    w = makeWorld();
    for (const [name, text] of [
      ['town1.yaml', TOWN_V1],
      ['town2.yaml', TOWN_V2],
      ['bureau.yaml', BUREAU],
    ] as const) {
      writeFileSync(join(w.dir, name), text);
      ok(w.run(['program', 'load', name]));
    }
    ok(w.run(['ingest'], { input: [...town, ...statements].join('\n') }));
  });
  afterAll(() => w.dispose());

  it('version 1 before 1 March: decay, caps before decay, inactivity, flags by key', () => {
    const asOf = '2026-02-25T00:00:00Z';
    // l1 -10 on 10 Jan; l2 -10 on 20 Jan gets the -5 left of the cap's 15; both halve every 20 days.
    const late = half(-10, '2026-01-10T00:00:00Z', asOf, 20) + half(-5, '2026-01-20T00:00:00Z', asOf, 20);
    // j1 (20 Feb) counts until 2 March; the last payment (10 Feb) is 15 days back: no inactivity.
    const total = -30 + late + 0.5 + 0.5;
    const s = scoreOf('town-points', 'bob', asOf);
    expect(s.version).toBe(1);
    expect(s.score).toBe(score(1000, total, 0, 2000));
    expect(s.tier).toBe('A');
    // k3 removes case 1 only: case 2 keeps the flag and the restriction.
    expect(s.flags).toEqual(['listed-debtor']);
    expect(s.restrictions['no-subsidy']).toBe(true);
  });

  it('version 2 from its very instant, for the same February judgment, until it expires', () => {
    const before = scoreOf('town-points', 'bob', '2026-02-28T23:59:59.999Z');
    const from = scoreOf('town-points', 'bob', '2026-03-01T00:00:00Z');
    expect([before.version, from.version]).toEqual([1, 2]);
    const late = (asOf: string) =>
      half(-10, '2026-01-10T00:00:00Z', asOf, 20) + half(-5, '2026-01-20T00:00:00Z', asOf, 20);
    expect(from.score).toBe(score(1000, -40 + late('2026-03-01T00:00:00Z') + 1, 0, 2000));
    // expires P10D: counted while asOf < 20 Feb + 10 days, gone at 2 March 00:00 exactly.
    const last = scoreOf('town-points', 'bob', '2026-03-01T23:59:59.999Z');
    const gone = scoreOf('town-points', 'bob', '2026-03-02T00:00:00Z');
    expect(last.score).toBe(score(1000, -40 + late('2026-03-01T23:59:59.999Z') + 1, 0, 2000));
    expect(gone.score).toBe(score(1000, late('2026-03-02T00:00:00Z') + 1, 0, 2000));
  });

  it('inactivity: points × (1 + floor((asOf − last − after) / every)), bounded by limit', () => {
    const late = (asOf: string) =>
      half(-10, '2026-01-10T00:00:00Z', asOf, 20) + half(-5, '2026-01-20T00:00:00Z', asOf, 20);
    // Last payment 10 Feb; after 30 days: 12 March. Exactly then nothing (idle must exceed after).
    for (const [asOf, penalty] of [
      ['2026-03-12T00:00:00Z', 0],
      ['2026-03-12T00:00:00.001Z', -2],
      ['2026-03-19T00:00:00.001Z', -4],
      ['2026-04-30T00:00:00Z', -9],
    ] as const) {
      expect(scoreOf('town-points', 'bob', asOf).score, asOf).toBe(
        score(1000, late(asOf) + 1 + penalty, 0, 2000),
      );
    }
  });

  it('a retracted listing is gone for every as-of, past ones included', () => {
    ok(
      w.run(['ingest'], {
        input: line({ id: 'r1', source: 'court', retracts: 'k2', occurredAt: '2026-03-10T00:00:00Z' }),
      }),
    );
    const s = scoreOf('town-points', 'bob', '2026-02-25T00:00:00Z');
    expect(s.flags).toEqual([]);
    expect(s.restrictions['no-subsidy']).toBe(false);
  });

  it('a cap on points of both signs holds in every window (-10, +10, 0, then +10 a window later)', () => {
    expect(scoreOf('band-bureau', 'carol', '2026-01-31T00:00:00Z').score).toBe(600 - 10 + 10 + 0);
    const later = scoreOf('band-bureau', 'carol', '2026-03-02T00:00:00Z');
    expect(later.score).toBe(600 - 10 + 10 + 0 + 10);
    expect(later.tier).toBe('b600');
  });
});
