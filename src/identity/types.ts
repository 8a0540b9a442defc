/** A person record: the canonical fields of DESIGN.md, from a CSV row or a fact's `subject`. */
export interface PersonRecord {
  record_id: string;
  given_name?: string;
  surname?: string;
  full_name?: string;
  date_of_birth?: string;
  sex?: string;
  national_id?: string;
  passport_number?: string;
  passport_country?: string;
  phone?: string;
  email?: string;
  address?: string;
  city?: string;
  postcode?: string;
  account?: string;
  other_id?: string;
  mrz?: string;
  /**
   * Not a person field: the date (ISO) of the fact that brought `mrz`, against which its two-digit
   * birth year is read (born 28 is 1928 on a fact of 2026). Kept in the record's stored body, so
   * a restore reads the same century.
   */
  mrz_as_of?: string;
}

/** The canonical person-record columns, in DESIGN.md order. */
export const PERSON_FIELDS = [
  'record_id',
  'given_name',
  'surname',
  'full_name',
  'date_of_birth',
  'sex',
  'national_id',
  'passport_number',
  'passport_country',
  'phone',
  'email',
  'address',
  'city',
  'postcode',
  'account',
  'other_id',
  'mrz',
] as const satisfies readonly (keyof PersonRecord)[];

/** One field's part in a link: how the two values compared and the weight (log2 Bayes factor) it added. */
export interface FieldEvidence {
  field: string;
  /** e.g. `exact`, `close`, `differs`, `missing`, `conflict`, `masked-consistent`, `day-month-swap`. */
  outcome: string;
  weight: number;
  detail?: string;
}

export type ResolutionDecision = 'new' | 'deterministic' | 'probabilistic' | 'review';

/** A candidate person a record might belong to, waiting for an operator. */
export interface ReviewCandidate {
  subjectId: string;
  confidence: number;
  evidence: FieldEvidence[];
}

/** How a record was resolved to a person, with the evidence for the link. */
export interface Resolution {
  recordId: string;
  subjectId: string;
  decision: ResolutionDecision;
  /** Probability of the link (for `new`: that no known person matched). */
  confidence: number;
  matchedRecordId?: string;
  evidence: FieldEvidence[];
  reviewCandidates?: ReviewCandidate[];
  /** Persons this record showed to be the same as `subjectId`, merged into it (their facts move). */
  merged?: string[];
  /** Persons it would have bridged but whose strong identifiers conflict, so they were kept apart. */
  refused?: string[];
}
