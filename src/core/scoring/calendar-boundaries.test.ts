// DESIGN.md's durations are exact: a day is 86,400,000 ms of UTC, a year 365 of them, a month 30,
// whatever the calendar or the furnisher's time zone says. These properties put facts on any
// instant of 2023–2032 (leap days included), written in any UTC offset as furnishers send them,
// and ask the engine one millisecond either side of each boundary: a decay's expiry, a cap's
// window, an inactivity rule's `after` and each `every`, and the scale's floor, ceiling and tier
// thresholds (the 350–950 marketplace and the civic scheme's 1000-point base, tiers AAA…D).
// What the engine must answer is computed here from DESIGN.md's formulas, not by the engine.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import { DAY, rulebook } from '../testing/builders.js';
import { parseInstant } from '../time/instant.js';
import { scorePerson } from './index.js';

const FROM = Date.parse('2023-01-01T00:00:00Z');
const TO = Date.parse('2032-12-31T00:00:00Z');
const LEAP_DAYS = ['2024-02-29', '2028-02-29', '2032-02-29'].map((d) => Date.parse(`${d}T00:00:00Z`));

/** Any minute of the decade, often on or beside a leap day. */
const arbInstant = fc.oneof(
  fc.integer({ min: FROM / 60_000, max: TO / 60_000 }).map((m) => m * 60_000),
  fc
    .tuple(fc.constantFrom(...LEAP_DAYS), fc.integer({ min: -DAY / 60_000, max: (2 * DAY) / 60_000 }))
    .map(([d, m]) => d + m * 60_000),
);
/** A UTC offset as furnishers write them, in minutes (−12:00 … +14:00, quarter hours). */
const arbOffset = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `at` written as a local time in the given offset, as a furnisher in that zone would. */
function written(at: number, offsetMin: number): string {
  const local = new Date(at + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A fact whose instant comes from its `occurredAt` as written, as ingest reads it. */
function factAt(id: string, type: string, occurredAt: string, n = 1): ScoringFact {
  return { key: factKey('s', id), id, source: 's', type, at: parseInstant(occurredAt), data: { n } };
}

const decaying = rulebook(`minFacts: 0
events:
  e.year: { category: commerce, fields: { n: number } }
  e.month: { category: commerce, fields: { n: number } }
  e.week: { category: commerce, fields: { n: number } }
  e.half: { category: commerce, fields: { n: number } }
rules:
  - { id: y, on: e.year, points: -50, decay: { expires: P1Y }, reason: { code: Y, text: year } }
  - { id: m, on: e.month, points: -20, decay: { expires: P1M }, reason: { code: M, text: month } }
  - { id: w, on: e.week, points: 8, decay: { expires: P1W }, reason: { code: W, text: week } }
  - { id: h, on: e.half, points: -64, decay: { halfLife: P1Y }, reason: { code: H, text: half } }
`);
const EXPIRES: Record<string, { points: number; ms: number }> = {
  'e.year': { points: -50, ms: 365 * DAY },
  'e.month': { points: -20, ms: 30 * DAY },
  'e.week': { points: 8, ms: 7 * DAY },
};

const scoreOf = (o: ReturnType<typeof scorePerson>): number => {
  if (o.status !== 'scored') throw new Error(`not scored: ${o.reason}`);
  return o.score;
};

describe('durations are exact UTC milliseconds, whatever the calendar or the offset written', () => {
  it('the same instant written in any offset is the same instant', () => {
    fc.assert(
      fc.property(arbInstant, arbOffset, (at, off) => {
        expect(parseInstant(written(at, off))).toBe(at);
      }),
    );
  });

  it('expires: the points count until occurredAt + the duration, to the millisecond, across leap days', () => {
    fc.assert(
      fc.property(arbInstant, arbOffset, fc.constantFrom(...Object.keys(EXPIRES)), (at, off, type) => {
        const { points, ms } = EXPIRES[type] as { points: number; ms: number };
        const f = factAt('f', type, written(at, off));
        expect(scoreOf(scorePerson(decaying, [f], at + ms - 1, []))).toBe(1000 + points);
        expect(scoreOf(scorePerson(decaying, [f], at + ms, []))).toBe(1000);
        // A year is 365 days even when it spans 29 February: the calendar date a year on would
        // be a day later, and the points are gone by then.
        const calendarYear = new Date(at);
        calendarYear.setUTCFullYear(calendarYear.getUTCFullYear() + 1);
        if (type === 'e.year' && calendarYear.getTime() - at === 366 * DAY)
          expect(scoreOf(scorePerson(decaying, [f], calendarYear.getTime() - 1, []))).toBe(1000);
      }),
    );
  });

  it('halfLife: half the points one half-life on, a quarter two on, from the instant written', () => {
    fc.assert(
      fc.property(arbInstant, arbOffset, (at, off) => {
        const f = factAt('f', 'e.half', written(at, off));
        expect(scoreOf(scorePerson(decaying, [f], at, []))).toBe(1000 - 64);
        expect(scoreOf(scorePerson(decaying, [f], at + 365 * DAY, []))).toBe(1000 - 32);
        expect(scoreOf(scorePerson(decaying, [f], at + 730 * DAY, []))).toBe(1000 - 16);
      }),
    );
  });

  it('a cap window (t − per, t] leaves out a fact exactly `per` earlier and holds one a millisecond later', () => {
    const capped = rulebook(`events:
  e.x: { category: commerce, fields: { n: number } }
rules:
  - { id: x, on: e.x, points: 5, cap: { max: 5, per: P30D }, reason: { code: X, text: x } }
`);
    fc.assert(
      fc.property(arbInstant, arbOffset, arbOffset, fc.constantFrom(0, 1), (at, off1, off2, late) => {
        const second = at + 30 * DAY - late;
        const facts = [factAt('a', 'e.x', written(at, off1)), factAt('b', 'e.x', written(second, off2))];
        // Exactly `per` later the first fact has left the window: both award 5. Earlier, it has not.
        expect(scoreOf(scorePerson(capped, facts, second, []))).toBe(late === 0 ? 1010 : 1005);
      }),
    );
  });

  it('inactivity: nothing at exactly `after`, then `points` once per started `every`, bounded by `limit`', () => {
    const idle = rulebook(`events:
  e.pay: { category: commerce, fields: { n: number } }
inactivity:
  - { id: d, of: [e.pay], after: P180D, points: -5, every: P30D, limit: -50, reason: { code: D, text: dormant } }
`);
    const after = 180 * DAY;
    const every = 30 * DAY;
    fc.assert(
      fc.property(
        arbInstant,
        arbOffset,
        fc.integer({ min: 0, max: 14 }),
        fc.constantFrom(-1, 0, 1),
        (at, off, k, d) => {
          const f = factAt('p', 'e.pay', written(at, off));
          const asOf = at + after + k * every + d;
          const silent = asOf - at;
          // DESIGN.md, read directly: points × (1 + floor((asOf − last − after) / every)), bounded.
          const want = silent > after ? Math.max(-50, -5 * (1 + Math.floor((silent - after) / every))) : 0;
          expect(scoreOf(scorePerson(idle, [f], asOf, []))).toBe(1000 + want);
        },
      ),
    );
  });

  it('a change of offset (summer time) between two wall-clock dates does not stretch a duration', () => {
    const idle = rulebook(`events:
  e.pay: { category: commerce, fields: { n: number } }
inactivity:
  - { id: d, of: [e.pay], after: P30D, points: -5, reason: { code: D, text: dormant } }
`);
    // 28 March 12:00 in Berlin (+01:00) to 27 April 12:00 (+02:00) is 30 calendar days but an hour
    // short of 30 × 24 h: not yet past `after`. An hour later it is.
    const f = factAt('p', 'e.pay', '2026-03-28T12:00:00+01:00');
    expect(scoreOf(scorePerson(idle, [f], parseInstant('2026-04-27T12:00:00+02:00'), []))).toBe(1000);
    expect(scoreOf(scorePerson(idle, [f], parseInstant('2026-04-27T13:00:01+02:00'), []))).toBe(995);
  });
});

/** The scale and tiers of an example program, with one probe rule whose points the fact says. */
function probeOf(name: string) {
  const text = readFileSync(new URL(`../../../examples/programs/${name}.yaml`, import.meta.url), 'utf8');
  const ex = compileRulebook(text, { file: `${name}.yaml` });
  const { min, max, base } = ex.scale;
  const rb = compileRulebook(
    `program: probe
name: Probe
enrollment: opt-out
scale: { min: ${min}, max: ${max}, base: ${base} }
tiers:
${ex.tiers.map((t) => `  - { id: ${t.id}, min: ${t.min} }`).join('\n')}
events:
  e.probe: { category: commerce, fields: { n: number } }
rules:
  - { id: p, on: e.probe, points: "fact.n", reason: { code: P, text: probe } }
`,
    { file: 'probe.yaml' },
  );
  return { rb, tiers: ex.tiers, scale: ex.scale };
}

describe('the floor, the ceiling and every tier threshold of the example programs', () => {
  for (const name of ['marketplace', 'city-civic']) {
    it(`${name}: clamp(round(base + Σ), min, max), and the first tier whose min the score reaches`, () => {
      const { rb, tiers, scale } = probeOf(name);
      // Totals at, beside and far beyond each threshold and each end of the scale.
      const marks = [...tiers.map((t) => t.min), scale.min, scale.max].map((m) => m - scale.base);
      const arbTotal = fc.oneof(
        fc
          .tuple(fc.constantFrom(...marks), fc.constantFrom(-1, -0.5, -0.01, 0, 0.49, 0.5, 1))
          .map(([m, d]) => m + d),
        fc.integer({ min: -5 * scale.max, max: 5 * scale.max }),
      );
      fc.assert(
        fc.property(fc.array(arbTotal, { minLength: 1, maxLength: 3 }), (parts) => {
          const facts = parts.map(
            (n, i): ScoringFact => ({
              key: factKey('s', `f${i}`),
              id: `f${i}`,
              source: 's',
              type: 'e.probe',
              at: FROM + i,
              data: { n },
            }),
          );
          const total = parts.reduce((s, n) => s + n, 0);
          const want = Math.min(scale.max, Math.max(scale.min, Math.floor(scale.base + total + 0.5 + 1e-9)));
          const o = scorePerson(rb, facts, FROM + DAY, []);
          expect(o).toMatchObject({ status: 'scored', score: want });
          let tier = tiers.at(-1)?.id;
          for (const t of tiers) {
            if (want >= t.min) {
              tier = t.id;
              break;
            }
          }
          expect(o).toMatchObject({ tier });
        }),
      );
    });
  }
});
