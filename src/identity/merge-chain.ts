/** The parts of an identity decision that move a person's id: merges and splits. */
export interface MergeStep {
  readonly kind?: string;
  readonly absorbed?: string;
  readonly survivor?: string;
  readonly from?: string;
  readonly to?: string;
  /** A split's records (those moved to `to`). */
  readonly records?: readonly string[];
}

/** Where an id leads after the merges of a decision log, and the splits of that person since. */
export interface MergeFollowed {
  readonly current: string;
  readonly splitSince: string[];
}

/**
 * Where an id's merges (in decision order) lead, and the splits since of each person on the way:
 * a merge leaves the absorbed id holding nothing, but the id still names the person it went to; a
 * survivor split since may hold the records elsewhere, so the id names no one person. A split of
 * a person the id passed through counts as much as one of where it ends: B merged into A, A split
 * (B's record to N), A merged into C leads to C, which need not hold B's records (they went with
 * N), so B names no one person; forgetting that split at the later merge answered a relying party
 * asking about B with C's score.
 *
 * @example
 * followMerges('P2', [{ kind: 'merge', absorbed: 'P2', survivor: 'P1' }]) // { current: 'P1', splitSince: [] }
 */
export function followMerges(subject: string, decisions: readonly MergeStep[]): MergeFollowed {
  let current = subject;
  const splitSince: string[] = [];
  for (const d of decisions) {
    if (d.kind === 'merge' && d.absorbed === current && typeof d.survivor === 'string') {
      current = d.survivor;
    } else if (d.kind === 'split' && current !== subject && d.from === current && typeof d.to === 'string') {
      splitSince.push(d.to);
    }
  }
  return { current, splitSince };
}

/**
 * `followMerges` for many ids over one growing log: merges indexed by the id they absorbed and
 * splits by the person they split, so an id never merged away costs one lookup (ingest asks this
 * of every fact that names its person).
 */
export class MergeChains {
  readonly #merges = new Map<string, { at: number; survivor: string }[]>();
  readonly #splits = new Map<string, { at: number; to: string }[]>();
  #count = 0;

  constructor(decisions: readonly MergeStep[] = []) {
    for (const d of decisions) this.add(d);
  }

  /** Appends the next decision of the log. */
  add(d: MergeStep): void {
    const at = this.#count++;
    if (d.kind === 'merge' && typeof d.absorbed === 'string' && typeof d.survivor === 'string') {
      const list = this.#merges.get(d.absorbed) ?? [];
      list.push({ at, survivor: d.survivor });
      this.#merges.set(d.absorbed, list);
    } else if (d.kind === 'split' && typeof d.from === 'string' && typeof d.to === 'string') {
      const list = this.#splits.get(d.from) ?? [];
      list.push({ at, to: d.to });
      this.#splits.set(d.from, list);
    }
  }

  /** Decisions appended so far. */
  get size(): number {
    return this.#count;
  }

  /** Whether a merge ever absorbed this id. */
  absorbed(subject: string): boolean {
    return this.#merges.has(subject);
  }

  /** The same answer as `followMerges(subject, log)`. */
  follow(subject: string): MergeFollowed {
    let current = subject;
    let pos = -1;
    const splitSince: string[] = [];
    for (;;) {
      const next = this.#merges.get(current)?.find((m) => m.at > pos);
      // The splits of this person while it held the id's records: after the merge that led here.
      if (current !== subject)
        for (const s of this.#splits.get(current) ?? [])
          if (s.at > pos && (!next || s.at < next.at)) splitSince.push(s.to);
      if (!next) break;
      current = next.survivor;
      pos = next.at;
    }
    return { current, splitSince };
  }
}
