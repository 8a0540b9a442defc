import type { Alignment } from './align.js';
import type { QualifierNote } from './qualifiers.js';
import type { ScreenCandidate } from './types.js';

/** What a candidate says beyond its id and score: built only when read. */
export interface CandidateDetail {
  readonly name: Alignment;
  readonly qualifiers: readonly QualifierNote[];
  readonly explanation: readonly string[];
}

/**
 * A candidate whose alignment, qualifier notes and explanation are built on first read. Ranking
 * needs only numbers; a caller that screens in bulk and looks at ids and scores (a relying
 * party's batch, the benchmark) does not pay for sentences it never reads, while the CLI and the
 * API, which read them, get the same values as before. `toJSON` gives every field.
 *
 * @example
 * const c = new LazyCandidate('P1', 0.98, '王伟', ['dishonest-debtor'], () => detail);
 * c.explanation // built now, then kept
 */
export class LazyCandidate implements ScreenCandidate {
  readonly subjectId: string;
  readonly score: number;
  readonly listedName: string;
  readonly flags: readonly string[];
  #build: (() => CandidateDetail) | undefined;
  #detail: CandidateDetail | undefined;

  constructor(
    subjectId: string,
    score: number,
    listedName: string,
    flags: readonly string[],
    build: () => CandidateDetail,
  ) {
    this.subjectId = subjectId;
    this.score = score;
    this.listedName = listedName;
    this.flags = flags;
    this.#build = build;
  }

  get name(): Alignment {
    return this.#get().name;
  }

  get qualifiers(): readonly QualifierNote[] {
    return this.#get().qualifiers;
  }

  get explanation(): readonly string[] {
    return this.#get().explanation;
  }

  toJSON(): ScreenCandidate {
    const d = this.#get();
    return {
      subjectId: this.subjectId,
      score: this.score,
      listedName: this.listedName,
      flags: this.flags,
      name: d.name,
      qualifiers: d.qualifiers,
      explanation: d.explanation,
    };
  }

  #get(): CandidateDetail {
    if (!this.#detail) {
      this.#detail = (this.#build as () => CandidateDetail)();
      this.#build = undefined;
    }
    return this.#detail;
  }
}
