import { type ConsentEvent, consentVerdict } from '../core/consent/index.js';
import { compareFacts, type ScoringFact } from '../core/facts/fact.js';
import type { CompiledRulebook } from '../core/rulebook/index.js';
import { PersonState } from '../core/scoring/index.js';
import type { ConsentRow, StoredFact } from '../store/store.js';
import { CONSENT_TYPES } from './event-catalog.js';

/** A consent event with the fact that recorded it (so a retraction can remove it). */
export interface ConsentRecord extends ConsentEvent {
  readonly factKey: string;
}

/** One person as ingest holds them: their facts, consents and a scoring state per program. */
export interface PersonEntry {
  readonly subject: string;
  /** Unretracted, non-consent facts by key. */
  readonly facts: Map<string, ScoringFact>;
  readonly consents: Map<string, ConsentRecord[]>;
  /** Per program; null while consent does not allow a ledger (opted out, or not enrolled in an opt-in program). */
  readonly states: Map<string, PersonState | null>;
}

/** The stored body of a fact back into the shape the scoring engine reads. */
export function toScoringFact(f: StoredFact): ScoringFact {
  const body = JSON.parse(f.body) as { data?: ScoringFact['data'] };
  return {
    key: `${f.source}/${f.id}`,
    id: f.id,
    source: f.source,
    type: f.type,
    at: f.at,
    data: body.data ?? {},
  };
}

/** Consent history of one person in one program, ordered by time. */
export function consentEvents(entry: PersonEntry, program: string): readonly ConsentRecord[] {
  return entry.consents.get(program) ?? [];
}

/**
 * The state a program keeps for a person: null when consent rules out any ledger; else the
 * facts of the program's event types after the last opt-out that was followed by an opt-in.
 */
export function buildState(rb: CompiledRulebook, entry: PersonEntry): PersonState | null {
  const verdict = consentVerdict(rb.enrollment, consentEvents(entry, rb.program), Number.MAX_SAFE_INTEGER);
  if (!verdict.scorable) return null;
  const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
  const facts: ScoringFact[] = [];
  for (const f of entry.facts.values()) if (rb.events[f.type] !== undefined && f.at > floor) facts.push(f);
  facts.sort(compareFacts);
  return new PersonState(rb, facts);
}

/** Whether a fact at `at` may enter a program's ledger, given the person's consent there. */
export function factAdmitted(rb: CompiledRulebook, entry: PersonEntry, at: number): boolean {
  const verdict = consentVerdict(rb.enrollment, consentEvents(entry, rb.program), Number.MAX_SAFE_INTEGER);
  return verdict.scorable && (verdict.factsAfter === undefined || at > verdict.factsAfter);
}

/** Builds a person's entry from stored facts and consents. */
export function loadEntry(
  subject: string,
  stored: readonly StoredFact[],
  consents: readonly ConsentRow[],
  programs: readonly CompiledRulebook[],
): PersonEntry {
  const entry: PersonEntry = { subject, facts: new Map(), consents: new Map(), states: new Map() };
  for (const f of stored)
    if (CONSENT_TYPES[f.type] === undefined) entry.facts.set(`${f.source}/${f.id}`, toScoringFact(f));
  for (const c of consents) {
    const list = entry.consents.get(c.program) ?? [];
    list.push({ action: c.action, at: c.at, factKey: c.factKey });
    entry.consents.set(c.program, list);
  }
  for (const list of entry.consents.values()) list.sort((a, b) => a.at - b.at);
  for (const rb of programs) entry.states.set(rb.program, buildState(rb, entry));
  return entry;
}

/**
 * People held in memory during an ingest run, least recently touched evicted first once the
 * facts held pass the budget (an evicted person is reloaded from the store when touched again).
 */
export class PersonCache {
  readonly #entries = new Map<string, PersonEntry>();
  readonly #budget: number;

  constructor(budgetFacts: number) {
    this.#budget = budgetFacts;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(subject: string): PersonEntry | undefined {
    const e = this.#entries.get(subject);
    if (e) {
      this.#entries.delete(subject);
      this.#entries.set(subject, e);
    }
    return e;
  }

  has(subject: string): boolean {
    return this.#entries.has(subject);
  }

  set(entry: PersonEntry): void {
    this.#entries.delete(entry.subject);
    this.#entries.set(entry.subject, entry);
  }

  delete(subject: string): void {
    this.#entries.delete(subject);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Drops the least recently touched people until the facts held fit the budget. */
  evict(): void {
    let held = 0;
    for (const e of this.#entries.values()) held += e.facts.size;
    if (held <= this.#budget) return;
    for (const [subject, e] of this.#entries) {
      if (held <= this.#budget * 0.8) break;
      held -= e.facts.size;
      this.#entries.delete(subject);
    }
  }
}
