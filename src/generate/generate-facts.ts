import { CredenceError } from '../core/errors/index.js';
import type { FieldValue } from '../core/facts/fact.js';
import { parseInstant } from '../core/time/index.js';
import { type PlannedEvent, planEvents } from './events/index.js';
import { MAX_PEOPLE, makePerson, type SyntheticPerson } from './person.js';
import { mixSeed, Prng } from './prng.js';
import { type GeneratedSubject, type SourceId, subjectFor } from './sources.js';

/** Options of a synthetic population. */
export interface GenerateOptions {
  /** How many people. */
  readonly people: number;
  /** Length of the span in days, ending at `end` (default 365). */
  readonly days?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** End of the span, exclusive: ISO instant or epoch ms (default 2026-11-01T00:00:00Z). */
  readonly end?: string | number;
}

/**
 * The library's fixed end: the same arguments give the same facts on any day (the committed
 * samples, the demo's world, the benches' digests). `credence generate` ends at `recentEnd()`.
 */
export const DEFAULT_END = '2026-11-01T00:00:00Z';

const DAY_MS = 86_400_000;

/**
 * Today at 00:00 UTC (for `now`): the end of a span that is ingested today. A span ending at the
 * fixed DEFAULT_END ages: ingest refuses a fact already past its type's retention, and a year
 * after DEFAULT_END its oldest wallet balances (kept a year by marketplace) are.
 */
export function recentEnd(now: number = Date.now()): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}
export const DEFAULT_DAYS = 365;
export const DEFAULT_SEED = 1;

/** A fact as a source sends it (DESIGN.md "Fact"). */
export interface GeneratedFact {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly subject: GeneratedSubject;
  readonly data: Record<string, FieldValue>;
}

/** A source retracting its own earlier fact. */
export interface GeneratedRetraction {
  readonly id: string;
  readonly source: string;
  readonly retracts: string;
  readonly occurredAt: string;
}

export type GeneratedInput = GeneratedFact | GeneratedRetraction;

/** One person and the facts sources sent about them, in time order. */
export interface GeneratedPerson {
  readonly person: SyntheticPerson;
  readonly facts: readonly GeneratedInput[];
}

const DAY = 86_400_000;
// Share of retractable facts (refunds, corrected arrears) that their source retracts later.
const RETRACT_P = 0.004;

const ID_PREFIX: Record<SourceId, string> = {
  pay: 'tx',
  shop: 'ord',
  ride: 'rd',
  food: 'fo',
  bank: 'bk',
  utility: 'ut',
  court: 'ct',
  'market-regulator': 'mr',
  'debtor-register': 'dr',
  'city-civic-enrolment': 'civ',
  'marketplace-enrolment': 'mkt',
};

interface Resolved {
  readonly people: number;
  readonly days: number;
  readonly seed: number;
  readonly start: number;
  readonly end: number;
}

function resolve(opts: GenerateOptions): Resolved {
  const { people, days = DEFAULT_DAYS, seed = DEFAULT_SEED, end = DEFAULT_END } = opts;
  if (!Number.isSafeInteger(people) || people < 0 || people > MAX_PEOPLE) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--people must be a whole number from 0 to ${MAX_PEOPLE}, got ${people}`,
    );
  }
  if (!Number.isSafeInteger(days) || days < 1 || days > 36500) {
    throw new CredenceError('CREDENCE_E_USAGE', `--days must be a whole number from 1 to 36500, got ${days}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--seed must be a whole number from 0 to 4294967295, got ${seed}`,
    );
  }
  const endMs = typeof end === 'number' ? end : parseInstant(end, '--end');
  if (!Number.isSafeInteger(endMs)) {
    throw new CredenceError('CREDENCE_E_USAGE', `--end must be an instant, got ${String(end)}`);
  }
  return { people, days, seed, start: endMs - days * DAY, end: endMs };
}

// ISO 8601 without milliseconds, as most sources write it. Date formatting is the hottest spot of
// generation, so each day's date part is formatted once (a span has a few hundred days) and the
// time of day by hand.
const dayText = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = dayText.get(day);
  if (date === undefined) {
    // Bounded: a long-lived process generating many different spans must not grow without end.
    if (dayText.size > 100_000) dayText.clear();
    date = new Date(day * DAY).toISOString().slice(0, 11);
    dayText.set(day, date);
  }
  const s = Math.floor((ms - day * DAY) / 1000);
  return `${date}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}Z`;
}

interface Item {
  readonly at: number;
  readonly event?: PlannedEvent;
  /** For a retraction: the item it retracts. */
  readonly target?: Item;
  id?: string;
}

/**
 * Turns one person's planned events into facts: ids from per-source counters, subjects as each
 * source records the person, a few retractions. Counters are shared across people, hence a class.
 */
class FactWriter {
  readonly #counters: Record<string, number> = Object.fromEntries(Object.keys(ID_PREFIX).map((s) => [s, 0]));

  nextId(source: SourceId): string {
    const n = ++(this.#counters[source] as number);
    return `${ID_PREFIX[source]}-${n < 1e8 ? `0000000${n}`.slice(-8) : n}`;
  }

  facts(
    seed: number,
    person: SyntheticPerson,
    events: readonly PlannedEvent[],
    end: number,
  ): GeneratedInput[] {
    const r = new Prng(mixSeed(seed ^ 0x27d4eb2f, person.index));
    const items: Item[] = events.map((event) => ({ at: event.at, event }));
    for (const item of items.slice()) {
      if (!item.event?.retractable || !r.chance(RETRACT_P)) continue;
      const at = item.at + r.between(1, 30) * DAY;
      if (at < end) items.push({ at, target: item });
    }
    items.sort((a, b) => a.at - b.at);
    const subjects = new Map<SourceId, GeneratedSubject>();
    const out: GeneratedInput[] = [];
    for (const item of items) {
      const source = (item.event ?? item.target?.event)?.source as SourceId;
      item.id = this.nextId(source);
      if (item.target) {
        out.push({ id: item.id, source, retracts: item.target.id as string, occurredAt: iso(item.at) });
        continue;
      }
      const ev = item.event as PlannedEvent;
      let subject = subjects.get(source);
      if (!subject) {
        subject = subjectFor(source, person, r);
        subjects.set(source, subject);
      }
      out.push({ id: item.id, source, type: ev.type, occurredAt: iso(ev.at), subject, data: ev.data });
    }
    return out;
  }
}

/**
 * The population, person by person, each with their facts in time order. Lazy: one person is
 * in memory at a time, so a million people stream in bounded memory.
 *
 * @example
 * for (const { person, facts } of generatePopulation({ people: 10, seed: 7 })) console.log(person.nationalId, facts.length);
 */
export function generatePopulation(opts: GenerateOptions): Generator<GeneratedPerson> {
  // Options are checked now, not at the first `next()`, so a bad call fails where it is made.
  return population(resolve(opts));
}

function* population(o: Resolved): Generator<GeneratedPerson> {
  const writer = new FactWriter();
  const span = { start: o.start, end: o.end };
  for (let i = 0; i < o.people; i++) {
    const person = makePerson(o.seed, i);
    const events = planEvents(new Prng(mixSeed(o.seed ^ 0x5bd1e995, i)), person, span);
    yield { person, facts: writer.facts(o.seed, person, events, o.end) };
  }
}

/**
 * Every fact and retraction of the population, as furnishers would send them (JSON-ready objects).
 * Deterministic: the same options always give the same sequence.
 *
 * @example
 * const first = generateFacts({ people: 1, seed: 42 }).next().value; // { id: 'tx-00000001', source: 'pay', ... }
 */
export function generateFacts(opts: GenerateOptions): Generator<GeneratedInput> {
  const people = generatePopulation(opts);
  return (function* () {
    for (const { facts } of people) yield* facts;
  })();
}

/**
 * The same as JSON Lines, one string per fact, each ending in a newline.
 *
 * @example
 * for (const line of generateJsonl({ people: 100 })) process.stdout.write(line);
 */
export function generateJsonl(opts: GenerateOptions): Generator<string> {
  const facts = generateFacts(opts);
  return (function* () {
    for (const f of facts) yield `${toJsonLine(f)}\n`;
  })();
}

// A source's subject object is shared by all its facts about a person: serialise it once.
const subjectJson = new WeakMap<GeneratedSubject, string>();

/**
 * `JSON.stringify(f)`, byte for byte, but faster for generated facts (the subject is cached).
 *
 * @example
 * toJsonLine(fact) === JSON.stringify(fact) // true
 */
export function toJsonLine(f: GeneratedInput): string {
  if ('retracts' in f) return JSON.stringify(f);
  let subject = subjectJson.get(f.subject);
  if (subject === undefined) {
    subject = JSON.stringify(f.subject);
    subjectJson.set(f.subject, subject);
  }
  // id, source, type and occurredAt are generated from plain ASCII: no escaping needed.
  return `{"id":"${f.id}","source":"${f.source}","type":"${f.type}","occurredAt":"${f.occurredAt}","subject":${subject},"data":${JSON.stringify(f.data)}}`;
}
