import { readFileSync } from 'node:fs';
import { parsePhoneNumber } from 'libphonenumber-js/max';
import { parse } from 'mrz';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../core/errors/index.js';
import {
  type GeneratedFact,
  type GeneratedInput,
  type GeneratedPerson,
  generateFacts,
  generateJsonl,
  generatePopulation,
  hasValidCheckChar,
  MAX_PEOPLE,
  NAME_TABLES,
  toJsonLine,
} from './index.js';

const DAY = 86_400_000;
const END = Date.parse('2026-11-01T00:00:00Z');
const jsonl = (opts: Parameters<typeof generateJsonl>[0]): string => [...generateJsonl(opts)].join('');
const isFact = (f: GeneratedInput): f is GeneratedFact => !('retracts' in f);

// One population shared by the tests below: 2000 people, one year, seed 2026.
const population: GeneratedPerson[] = [...generatePopulation({ people: 2000, seed: 2026 })];
const allFacts = population.flatMap((p) => p.facts);

describe('determinism', () => {
  it('gives byte-identical output for the same seed and arguments', () => {
    expect(jsonl({ people: 300, seed: 9 })).toBe(jsonl({ people: 300, seed: 9 }));
  });

  it('gives different output for another seed, span or end', () => {
    const base = jsonl({ people: 300, seed: 9 });
    expect(jsonl({ people: 300, seed: 10 })).not.toBe(base);
    expect(jsonl({ people: 300, seed: 9, days: 200 })).not.toBe(base);
    expect(jsonl({ people: 300, seed: 9, end: '2026-06-01T00:00:00Z' })).not.toBe(base);
  });

  it('generates person i the same whatever the population size (a smaller run is a prefix)', () => {
    const small = jsonl({ people: 50, seed: 4 });
    expect(jsonl({ people: 120, seed: 4 }).startsWith(small)).toBe(true);
  });

  it('is lazy: the largest population yields its first facts at once (1M people stream)', () => {
    const facts = generateFacts({ people: MAX_PEOPLE, seed: 3 });
    const first = Array.from({ length: 50 }, () => facts.next().value as GeneratedInput);
    expect(first.every((f) => typeof f.id === 'string')).toBe(true);
    expect(toJsonLine(first[0] as GeneratedInput)).toBe(JSON.stringify(first[0]));
  });

  it('still produces the committed sample (examples/facts/sample-25.jsonl)', () => {
    const sample = readFileSync(new URL('../../examples/facts/sample-25.jsonl', import.meta.url), 'utf8');
    expect(jsonl({ people: 25, seed: 1 })).toBe(sample);
  });

  it('writes each line exactly as JSON.stringify would', () => {
    for (const f of allFacts.slice(0, 3000)) expect(toJsonLine(f)).toBe(JSON.stringify(f));
  });
});

describe('identifiers', () => {
  it('gives every person a unique resident ID with a valid check character, matching sex and birth date', () => {
    const ids = new Set<string>();
    const residents = population.filter((p) => p.person.nationalId !== undefined);
    for (const { person } of residents) {
      const id = person.nationalId as string;
      expect(hasValidCheckChar(id)).toBe(true);
      expect(id.slice(6, 14)).toBe(person.dateOfBirth.replaceAll('-', ''));
      const seq = Number(id.slice(14, 17));
      expect(seq % 2 === 1 ? 'M' : 'F').toBe(person.sex);
      ids.add(id);
    }
    expect(ids.size).toBe(residents.length);
  });

  it('gives foreign residents a unique passport whose MRZ reads back with every check digit right', () => {
    const foreign = population.filter((p) => p.person.passport !== undefined);
    expect(foreign.length).toBeGreaterThan(10);
    expect(foreign.length).toBeLessThan(60);
    const numbers = new Set<string>();
    for (const { person } of foreign) {
      const pp = person.passport as NonNullable<typeof person.passport>;
      expect(person.nationalId).toBeUndefined();
      const m = parse(pp.mrz.split('\n'));
      expect(
        m.valid,
        m.details
          .filter((d) => !d.valid)
          .map((d) => d.error)
          .join('; '),
      ).toBe(true);
      expect(m.fields.documentNumber).toBe(pp.number);
      expect(m.fields.nationality).toBe(pp.country);
      expect(m.fields.sex).toBe(person.sex === 'M' ? 'male' : 'female');
      expect(m.fields.birthDate).toBe(person.dateOfBirth.slice(2).replaceAll('-', ''));
      numbers.add(pp.number);
    }
    expect(numbers.size).toBe(foreign.length);
  });

  it('sends only valid resident IDs and E.164 +86 mobile numbers', () => {
    const phones = new Set<string>();
    const ids = new Set<string>();
    for (const f of allFacts) {
      if (!isFact(f)) continue;
      if (f.subject.national_id !== undefined) ids.add(f.subject.national_id);
      if (f.subject.phone !== undefined) phones.add(f.subject.phone);
    }
    expect(ids.size).toBeGreaterThan(1000);
    expect([...ids].filter((id) => !hasValidCheckChar(id))).toEqual([]);
    for (const phone of phones) {
      expect(phone).toMatch(/^\+861\d{10}$/);
      expect(parsePhoneNumber(phone).getType()).toBe('MOBILE');
    }
    expect(new Set(population.map((p) => p.person.phone)).size).toBe(population.length);
  });

  it('keeps fact ids unique per source and retracts only earlier facts of the same source', () => {
    const seen = new Map<string, number>();
    const bad: string[] = [];
    for (const f of allFacts) {
      const key = `${f.source}/${f.id}`;
      if (seen.has(key)) bad.push(`duplicate ${key}`);
      if ('retracts' in f) {
        const target = seen.get(`${f.source}/${f.retracts}`);
        if (target === undefined || Date.parse(f.occurredAt) <= target) bad.push(`retraction ${key}`);
      }
      seen.set(key, Date.parse(f.occurredAt));
    }
    expect(bad).toEqual([]);
    expect([...seen.keys()].some((k) => k.startsWith('bank/'))).toBe(true);
  });
});

describe('the mix', () => {
  const count = (pred: (f: GeneratedFact) => boolean): number => allFacts.filter(isFact).filter(pred).length;

  it('averages about 20 facts per person a year, all inside the span and in time order', () => {
    expect(allFacts.length / population.length).toBeGreaterThan(15);
    expect(allFacts.length / population.length).toBeLessThan(28);
    const bad: string[] = [];
    for (const { facts } of population) {
      let last = -Infinity;
      for (const f of facts) {
        const at = Date.parse(f.occurredAt);
        if (at < END - 365 * DAY || at >= END || at < last)
          bad.push(`${f.source}/${f.id} at ${f.occurredAt}`);
        last = at;
      }
    }
    expect(bad).toEqual([]);
  });

  it('has court listings, some of them later removed, each removal naming its own listing', () => {
    const listings = allFacts.filter(isFact).filter((f) => f.type === 'court.blacklist_listed');
    const removals = allFacts.filter(isFact).filter((f) => f.type === 'court.blacklist_removed');
    expect(listings.length).toBeGreaterThan(5);
    expect(removals.length).toBeGreaterThan(0);
    expect(removals.length).toBeLessThan(listings.length);
    const listed = new Set(listings.map((f) => `${f.subject.national_id}|${f.data.court}|${f.data.case}`));
    for (const r of removals)
      expect(listed.has(`${r.subject.national_id}|${r.data.court}|${r.data.case}`)).toBe(true);
  });

  it('has dormant people: platform activity only early, none in the last 180 days', () => {
    const platformTypes = new Set([
      'payment.completed',
      'purchase.completed',
      'ride.completed',
      'food.order_completed',
    ]);
    const dormant = population.filter(({ facts }) => {
      const times = facts
        .filter((f) => isFact(f) && platformTypes.has(f.type))
        .map((f) => Date.parse(f.occurredAt));
      return times.length > 0 && Math.max(...times) < END - 180 * DAY;
    });
    expect(dormant.length / population.length).toBeGreaterThan(0.1);
  });

  it('has late payments, overdue loans, defaults, settlements and utility arrears', () => {
    expect(count((f) => f.type === 'loan.repaid' && (f.data.days_late as number) > 0)).toBeGreaterThan(0);
    expect(count((f) => f.type === 'loan.overdue')).toBeGreaterThan(0);
    expect(count((f) => f.type === 'loan.defaulted')).toBeGreaterThan(0);
    expect(count((f) => f.type === 'loan.settled')).toBeGreaterThan(0);
    expect(count((f) => f.type === 'utility.arrears_notice')).toBeGreaterThan(0);
    expect(allFacts.some((f) => 'retracts' in f)).toBe(true);
  });

  it('enrols about 70% in city-civic and lets a few leave the marketplace', () => {
    const optIns = count((f) => f.type === 'credence.opt_in' && f.data.program === 'city-civic');
    expect(optIns / population.length).toBeGreaterThan(0.65);
    expect(optIns / population.length).toBeLessThan(0.75);
    const optOuts = count((f) => f.type === 'credence.opt_out' && f.data.program === 'marketplace');
    expect(optOuts).toBeGreaterThan(0);
    expect(optOuts / population.length).toBeLessThan(0.05);
  });

  it('varies names across sources: typos, swapped fields, characters, a common-name skew', () => {
    const pinyins = new Set([...NAME_TABLES.male, ...NAME_TABLES.female].map((n) => n.pinyin));
    const surnames = new Set(NAME_TABLES.surnames.map((n) => n.pinyin));
    let typos = 0;
    let swapped = 0;
    let hanzi = 0;
    for (const { person, facts } of population) {
      for (const f of facts) {
        if (!isFact(f) || f.source !== 'ride') continue;
        const { given_name: given, surname } = f.subject;
        if (given === person.surname.pinyin && surname === person.givenName.pinyin) swapped++;
        else if (given === person.givenName.hanzi) hanzi++;
        else if (given !== person.givenName.pinyin && !pinyins.has(given as string)) typos++;
        break;
      }
    }
    expect(typos).toBeGreaterThan(0);
    expect(swapped).toBeGreaterThan(0);
    expect(hanzi).toBeGreaterThan(0);
    const westernOrder = allFacts
      .filter(isFact)
      .some((f) => f.source === 'shop' && surnames.has((f.subject.full_name ?? '').split(' ')[1] ?? ''));
    expect(westernOrder).toBe(true);
    const wangWei = population.filter(
      (p) => p.person.surname.hanzi === '王' && p.person.givenName.hanzi === '伟',
    );
    // Uniform names would give about 2000 / (30 × 22) ≈ 3; the skew gives many more.
    expect(wangWei.length).toBeGreaterThan(15);
  });

  it('sends platform handles as platform:handle', () => {
    const accounts = allFacts.filter(isFact).flatMap((f) => (f.subject.account ? [f.subject.account] : []));
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) expect(a).toMatch(/^(pay|shop|food):[a-z_0-9]+$/);
  });
});

describe('options', () => {
  it('refuses bad options when called, with a usage error naming the option', () => {
    expect(() => generateFacts({ people: -1 })).toThrow(CredenceError);
    expect(() => generateFacts({ people: 1.5 })).toThrow(/--people/);
    expect(() => generateFacts({ people: 1, days: 0 })).toThrow(/--days/);
    expect(() => generateFacts({ people: 1, seed: -3 })).toThrow(/--seed/);
    expect(() => generateFacts({ people: 1, end: 'yesterday' })).toThrow(/--end/);
    expect(() => generateFacts({ people: 1, end: Number.NaN })).toThrow(/--end/);
  });

  it('honours --days and --end', () => {
    const end = Date.parse('2025-01-01T00:00:00Z');
    const facts = [...generateFacts({ people: 200, days: 30, end: '2025-01-01T00:00:00Z' })];
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(Date.parse(f.occurredAt)).toBeGreaterThanOrEqual(end - 30 * DAY);
      expect(Date.parse(f.occurredAt)).toBeLessThan(end);
    }
  });
});
