/** A value a fact's `data` may carry for a declared field. */
export type FieldValue = string | number | boolean;

/**
 * Who a fact is about: identifiers and attributes for identity resolution
 * (canonical person-record fields of DESIGN.md), or `subjectId` when the source
 * already knows the person.
 */
export type Subject = { subjectId?: string } & Record<string, string | undefined>;

/** A fact as a furnisher sends it (DESIGN.md, "Fact"). */
export interface Fact {
  id: string;
  source: string;
  type: string;
  occurredAt: string;
  subject: Subject;
  data: Record<string, FieldValue>;
}

/** Removes the effect of the same source's fact `retracts` everywhere, as if never sent. */
export interface Retraction {
  id: string;
  source: string;
  retracts: string;
  occurredAt: string;
}

export type FactInput = Fact | Retraction;

export function isRetraction(f: FactInput): f is Retraction {
  return typeof (f as Retraction).retracts === 'string';
}

/**
 * A fact as the scoring engine sees it: resolved to a person, time as epoch ms.
 * `key` is `source/id`, unique across sources.
 */
export interface ScoringFact {
  readonly key: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly at: number;
  readonly data: Readonly<Record<string, FieldValue>>;
  /** Under an open dispute; counts or not as the program's `disputes.suspend` says. */
  readonly disputed?: boolean;
}

export function factKey(source: string, id: string): string {
  return `${source}/${id}`;
}

/** The canonical application order: (occurredAt, source, id). Arrival order never matters. */
export function compareFacts(a: ScoringFact, b: ScoringFact): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
