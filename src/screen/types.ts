import type { Alignment } from './align.js';
import type { QualifierNote } from './qualifiers.js';

/** A flagged person the screener can find: their names as sources wrote them and qualifiers. */
export interface ListedPerson {
  readonly subjectId: string;
  /** Every spelling sources used (`王伟`, `Wang Wei`, `WANG Wei`): each is indexed. */
  readonly names: readonly string[];
  /** `YYYY-MM-DD`, `YYYYMMDD` or a birth year. */
  readonly dob?: string;
  readonly sex?: 'M' | 'F';
  /** ISO 3166 alpha-2 or alpha-3, as sources give it. */
  readonly country?: string;
  /** ID numbers, full or masked as lists print them. */
  readonly ids?: readonly string[];
  readonly flags: readonly string[];
}

/** What a relying party knows: often just a name. */
export interface ScreenQuery {
  readonly name: string;
  readonly dob?: string;
  readonly id?: string;
  readonly sex?: 'M' | 'F';
  readonly country?: string;
}

export interface ScreenCandidate {
  readonly subjectId: string;
  /** 0..1: the name alignment, moved up or down by the qualifiers. */
  readonly score: number;
  /** The listed spelling that aligned best. */
  readonly listedName: string;
  readonly flags: readonly string[];
  readonly name: Alignment;
  readonly qualifiers: readonly QualifierNote[];
  /** The reasons in words, one line each. */
  readonly explanation: readonly string[];
}

export interface ScreenResult {
  /** The query's name as compared (folded parts). */
  readonly tokens: readonly string[];
  readonly organisation: boolean;
  /** Why nothing could match, when the query itself rules it out. */
  readonly refused?: string;
  readonly candidates: readonly ScreenCandidate[];
}

export interface ScreenOptions {
  /** Smallest score reported (default 0.8). */
  readonly threshold?: number;
  /** Most candidates reported (default 10). */
  readonly limit?: number;
}
