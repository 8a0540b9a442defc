import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentEvent, consentVerdict } from '../core/consent/index.js';
import type { ScoringFact } from '../core/facts/fact.js';
import { type CompiledRulebook, compileRulebook } from '../core/rulebook/index.js';
import { type Scored, scorePerson } from '../core/scoring/index.js';
import { eventCatalog, isRejection, validateLine } from '../ingest/index.js';
import {
  type GeneratedFact,
  type GeneratedInput,
  generateFacts,
  generatePopulation,
  hasValidCheckChar,
  toJsonLine,
} from './index.js';

const load = (program: string): CompiledRulebook =>
  compileRulebook(readFileSync(new URL(`../../examples/programs/${program}.yaml`, import.meta.url), 'utf8'), {
    file: `examples/programs/${program}.yaml`,
  });

const CONSENT = new Set(['credence.opt_in', 'credence.opt_out']);
const END = Date.parse('2026-11-01T00:00:00Z');
const isFact = (f: GeneratedInput): f is GeneratedFact => !('retracts' in f);

describe('example programs', () => {
  it('compile', () => {
    const marketplace = load('marketplace');
    const civic = load('city-civic');
    expect(marketplace.program).toBe('marketplace');
    expect(marketplace.enrollment).toBe('opt-out');
    expect(marketplace.tiers.map((t) => t.id)).toEqual(['excellent', 'very-good', 'good', 'fair', 'poor']);
    expect(civic.program).toBe('city-civic');
    expect(civic.enrollment).toBe('opt-in');
    expect(civic.tiers.map((t) => [t.id, t.min])).toEqual([
      ['AAA', 1050],
      ['AA', 1030],
      ['A', 960],
      ['B', 850],
      ['C', 600],
      ['D', 0],
    ]);
    // Every restriction of the civic program cites its legal basis.
    for (const r of civic.restrictions) expect(r.legalBasis).toBeTruthy();
  });

  it('declare shared event types identically, so one bank feed serves both', () => {
    const [a, b] = [load('marketplace'), load('city-civic')];
    for (const [type, def] of Object.entries(a.events)) {
      const other = b.events[type];
      if (other)
        expect({ category: other.category, fields: other.fields }).toEqual({
          category: def.category,
          fields: def.fields,
        });
    }
  });
});

describe('generated facts against the example programs', () => {
  const programs = [load('marketplace'), load('city-civic')];
  const population = [...generatePopulation({ people: 1500, seed: 77 })];

  it('use only declared types, with exactly the declared fields, each of its declared type', () => {
    const bad: string[] = [];
    const seenTypes = new Set<string>();
    for (const { facts } of population) {
      for (const f of facts) {
        if (!isFact(f)) continue;
        seenTypes.add(f.type);
        if (CONSENT.has(f.type)) {
          if (!programs.some((p) => p.program === f.data.program))
            bad.push(`${f.id}: consent for ${f.data.program}`);
          continue;
        }
        const defs = programs.flatMap((p) => (p.events[f.type] ? [p.events[f.type]] : []));
        if (defs.length === 0) bad.push(`${f.id}: undeclared type ${f.type}`);
        for (const def of defs) {
          const declared = Object.keys(def?.fields ?? {}).sort();
          if (Object.keys(f.data).sort().join() !== declared.join()) bad.push(`${f.id}: fields of ${f.type}`);
          for (const [field, type] of Object.entries(def?.fields ?? {})) {
            if (typeof f.data[field] !== type) bad.push(`${f.id}: ${f.type}.${field} is not a ${type}`);
          }
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    // The population exercises most of what the programs declare.
    const declared = new Set(programs.flatMap((p) => Object.keys(p.events)));
    const unused = [...declared].filter((t) => !seenTypes.has(t));
    expect(unused.length).toBeLessThanOrEqual(3);
  });

  it('pass ingest validation line by line', () => {
    const catalog = eventCatalog(programs);
    const rejections: string[] = [];
    let n = 0;
    for (const { facts } of population.slice(0, 400)) {
      for (const f of facts) {
        const v = validateLine({ file: 'generated.jsonl', line: ++n, text: toJsonLine(f) }, catalog);
        if (isRejection(v)) rejections.push(`${v.line} ${v.field ?? ''}: ${v.reason}`);
      }
    }
    expect(n).toBeGreaterThan(4000);
    expect(rejections.slice(0, 10)).toEqual([]);
  });

  it('hold for any seed, span and end: valid lines, IDs, times in the span, retractions of earlier facts', () => {
    const catalog = eventCatalog(programs);
    const DAY = 86_400_000;
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({
          min: Date.parse('2015-01-01T00:00:00Z') / DAY,
          max: Date.parse('2035-01-01T00:00:00Z') / DAY,
        }),
        (seed, people, days, endDay) => {
          const end = endDay * DAY;
          const seen = new Map<string, number>();
          let line = 0;
          for (const f of generateFacts({ people, seed, days, end })) {
            const v = validateLine({ file: 'p.jsonl', line: ++line, text: toJsonLine(f) }, catalog);
            if (isRejection(v)) throw new Error(`${v.field}: ${v.reason}`);
            const at = Date.parse(f.occurredAt);
            expect(at >= end - days * DAY && at < end).toBe(true);
            if ('retracts' in f) expect(seen.get(`${f.source}/${f.retracts}`)).toBeLessThan(at);
            else if (f.subject.national_id !== undefined)
              expect(hasValidCheckChar(f.subject.national_id)).toBe(true);
            seen.set(`${f.source}/${f.id}`, at);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  // Scores each generated person by the ground truth (who each fact is about), as a perfect
  // identity resolution would, with retractions applied.
  function scoreAll(rb: CompiledRulebook) {
    return population.map(({ person, facts }) => {
      const retracted = new Set(facts.flatMap((f) => ('retracts' in f ? [`${f.source}/${f.retracts}`] : [])));
      const counted: ScoringFact[] = [];
      const consent: ConsentEvent[] = [];
      for (const f of facts) {
        if (!isFact(f) || retracted.has(`${f.source}/${f.id}`)) continue;
        const at = Date.parse(f.occurredAt);
        if (CONSENT.has(f.type)) {
          if (f.data.program === rb.program)
            consent.push({ action: f.type === 'credence.opt_in' ? 'opt-in' : 'opt-out', at });
        } else if (rb.events[f.type]) {
          counted.push({
            key: `${f.source}/${f.id}`,
            id: f.id,
            source: f.source,
            type: f.type,
            at,
            data: f.data,
          });
        }
      }
      return { person, consent, outcome: scorePerson(rb, counted, END, consent) };
    });
  }

  it('spread marketplace people across the tiers, with real opt-outs and privileges at 600', () => {
    const rb = programs[0] as CompiledRulebook;
    const results = scoreAll(rb);
    const tiers = new Map<string, number>();
    for (const { outcome, consent } of results) {
      const k = outcome.status === 'scored' ? outcome.tier : outcome.reason;
      tiers.set(k, (tiers.get(k) ?? 0) + 1);
      if (consent.at(-1)?.action === 'opt-out') expect(outcome.status).toBe('not-scored');
      if (outcome.status === 'scored') {
        expect(outcome.privileges['deposit-free-bike']).toBe(
          outcome.score >= 600 && (outcome.dimensions['default-record'] ?? 0) >= 0,
        );
      }
    }
    for (const tier of ['excellent', 'very-good', 'good', 'fair', 'poor', 'opted-out', 'insufficient-data']) {
      expect(tiers.get(tier) ?? 0, tier).toBeGreaterThan(0);
    }
    // Heavy users score higher than dormant ones on average.
    const mean = (e: string): number => {
      const s = results.filter((r) => r.person.engagement === e && r.outcome.status === 'scored');
      return s.reduce((acc, r) => acc + (r.outcome as Scored).score, 0) / s.length;
    };
    expect(mean('heavy')).toBeGreaterThan(mean('light'));
    expect(mean('light')).toBeGreaterThan(mean('dormant'));
  });

  it('score only consenting people in city-civic, reach AA and AAA, and restrict listed debtors', () => {
    const rb = programs[1] as CompiledRulebook;
    const results = scoreAll(rb);
    const scored = results.filter((r) => r.outcome.status === 'scored').map((r) => r.outcome as Scored);
    const notEnrolled = results.filter(
      (r) => r.outcome.status === 'not-scored' && r.outcome.reason === 'not-enrolled',
    );
    for (const r of notEnrolled) expect(r.consent.some((c) => c.action === 'opt-in')).toBe(false);
    expect(scored.length / results.length).toBeGreaterThan(0.6);
    expect(scored.length / results.length).toBeLessThan(0.75);
    for (const tier of ['AAA', 'AA', 'A', 'B'])
      expect(
        scored.some((s) => s.tier === tier),
        tier,
      ).toBe(true);
    const listed = scored.filter((s) => s.flags.includes('dishonest-debtor'));
    expect(listed.length).toBeGreaterThan(0);
    // The flag stands while any listing lacks the removal of its own (court, case), counting only
    // what the program may see: facts after the person joined (consent is not retroactive).
    let removedAndClear = 0;
    for (const r of results) {
      if (r.outcome.status !== 'scored') continue;
      const open = new Set<string>();
      const verdict = consentVerdict(rb.enrollment, r.consent, END);
      const floor = (verdict.scorable ? verdict.factsAfter : undefined) ?? Number.NEGATIVE_INFINITY;
      const facts = (population[r.person.index]?.facts.filter(isFact) ?? []).filter(
        (f) => Date.parse(f.occurredAt) > floor,
      );
      for (const f of facts) {
        const k = `${f.data.court}|${f.data.case}`;
        if (f.type === 'court.blacklist_listed') open.add(k);
        if (f.type === 'court.blacklist_removed') {
          open.delete(k);
          removedAndClear++;
        }
      }
      expect(r.outcome.flags.includes('dishonest-debtor')).toBe(open.size > 0);
    }
    expect(removedAndClear).toBeGreaterThan(0);
    for (const s of scored) {
      const isListed = s.flags.includes('dishonest-debtor');
      expect(s.restrictions['no-high-speed-rail']).toBe(isListed);
      expect(s.restrictions['no-luxury-travel']).toBe(isListed);
      if (isListed) expect(s.privileges['preferential-loan-rate']).toBe(false);
    }
  });
});
