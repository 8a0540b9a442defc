import { round2 } from '../scoring/round.js';
import type { NotScoredReason, ScoreOutcome } from '../scoring/types.js';

/** Where a person stands on one side of a comparison: a tier, or why they are not scored. */
export type Standing = string;

/** How many people were scored, and why the others were not, under one rulebook. */
export type StatusCounts = Record<'scored' | NotScoredReason, number>;

/** How many people hold a privilege, restriction or flag under each rulebook, and who changed. */
export interface NamedCount {
  readonly name: string;
  readonly baseline: number;
  readonly candidate: number;
  /** Held under the candidate, not under the baseline. */
  readonly gained: number;
  /** Held under the baseline, not under the candidate. */
  readonly lost: number;
}

/** A reason code's points, summed over everyone scored under each rulebook. */
export interface ReasonTotal {
  readonly code: string;
  readonly text: string;
  readonly baseline: number;
  readonly candidate: number;
}

/** A privilege, restriction or flag a person gains or loses. */
export interface Held {
  readonly kind: 'privilege' | 'restriction' | 'flag';
  readonly name: string;
}

/** One person whose standing moved most. */
export interface PersonChange {
  readonly subject: string;
  readonly baseline: Standing;
  readonly candidate: Standing;
  readonly baselineScore: number | null;
  readonly candidateScore: number | null;
  /** Candidate minus baseline; null unless scored under both. */
  readonly change: number | null;
  /** Held under the candidate, not under the baseline. */
  readonly gained: Held[];
  /** Held under the baseline, not under the candidate. */
  readonly lost: Held[];
}

/** Score changes among the people scored under both rulebooks. */
export interface ScoreChanges {
  readonly people: number;
  readonly up: number;
  readonly down: number;
  readonly unchanged: number;
  readonly mean: number;
  /** The middle change, or the midpoint of the two middle ones. */
  readonly median: number;
  /** Nearest rank: changes someone has. */
  readonly p10: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

export interface Comparison {
  /** People with a fact of either rulebook's event types or a consent in the program. */
  readonly people: number;
  readonly baseline: StatusCounts;
  readonly candidate: StatusCounts;
  /** Absent when nobody is scored under both. */
  readonly scores?: ScoreChanges;
  /** Tier (or not-scored standing) under the baseline → under the candidate, people in each cell. */
  readonly tiers: { readonly from: Standing; readonly to: Standing; readonly people: number }[];
  readonly privileges: NamedCount[];
  readonly restrictions: NamedCount[];
  readonly flags: NamedCount[];
  readonly reasons: ReasonTotal[];
  /**
   * The people whose standing moved most: moves between scored and not scored first, then tier
   * changes, then score changes within a tier; the largest change first within each.
   */
  readonly largest: PersonChange[];
}

/** A not-scored outcome's standing: `not scored (opted-out)`. */
export function standingOf(o: ScoreOutcome): Standing {
  return o.status === 'scored' ? o.tier : `not scored (${o.reason})`;
}

const emptyStatus = (): StatusCounts => ({
  scored: 0,
  'opted-out': 0,
  'not-enrolled': 0,
  'insufficient-data': 0,
});

class NamedTally {
  readonly #m = new Map<string, { baseline: number; candidate: number; gained: number; lost: number }>();

  add(before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const n of before) {
      const c = this.#get(n);
      c.baseline++;
      if (!after.has(n)) c.lost++;
    }
    for (const n of after) {
      const c = this.#get(n);
      c.candidate++;
      if (!before.has(n)) c.gained++;
    }
  }

  #get(name: string): { baseline: number; candidate: number; gained: number; lost: number } {
    let c = this.#m.get(name);
    if (!c) {
      c = { baseline: 0, candidate: 0, gained: 0, lost: 0 };
      this.#m.set(name, c);
    }
    return c;
  }

  list(): NamedCount[] {
    return [...this.#m]
      .map(([name, c]) => ({ name, ...c }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

const granted = (o: ScoreOutcome, pick: 'privileges' | 'restrictions'): Set<string> => {
  const out = new Set<string>();
  if (o.status !== 'scored') return out;
  for (const [k, v] of Object.entries(o[pick])) if (v) out.add(k);
  return out;
};

const flagsOf = (o: ScoreOutcome): Set<string> => new Set(o.status === 'scored' ? o.flags : []);

/**
 * How far a person's standing moved, for ranking, most first: a move between scored and not
 * scored (2), then a change of tier or a privilege, restriction or flag gained or lost (1: a
 * decision that flips, even when the score does not move, as when a boundary moves), then none
 * (0); within each, the size of the score change.
 */
function rank(c: PersonChange): number {
  if (c.change === null && c.baseline !== c.candidate) return 2;
  return c.baseline !== c.candidate || c.gained.length > 0 || c.lost.length > 0 ? 1 : 0;
}

const size = (c: PersonChange): number => (c.change === null ? 0 : Math.abs(c.change));

/** Whether a person's standing moved at all: a person who did not is never listed. */
const moved = (c: PersonChange): boolean => rank(c) > 0 || size(c) > 0;

/** Most moved first; ties broken by subject id, so the same population always lists the same people. */
function byMove(a: PersonChange, b: PersonChange): number {
  return rank(b) - rank(a) || size(b) - size(a) || cmp(a.subject, b.subject);
}

/**
 * The value at quantile `q` of sorted values (nearest rank): a value someone has, so "8 in 10
 * people between p10 and p90" holds of real people.
 */
function quantile(sorted: Float64Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/**
 * The conventional median of sorted values: the middle one, or the midpoint of the two middle
 * ones. The nearest rank gave the lower of the two, so people moving 0 and +10 had a median of 0.
 */
function median(sorted: Float64Array): number {
  const n = sorted.length;
  const hi = sorted[n >> 1] as number;
  return n % 2 === 1 ? hi : ((sorted[(n >> 1) - 1] as number) + hi) / 2;
}

/**
 * Tallies two outcomes per person — the same facts, consents and as-of under a baseline rulebook
 * and a candidate — into what an auditor or operator needs to judge the change before it is
 * loaded: who moves tier, who gains or loses a privilege or restriction, which reasons weigh
 * more. Pure: the caller scores each person both ways (consent first, so a person who opted out
 * is counted as not scored on both sides and not one rule runs for them).
 *
 * @example
 * const t = new ComparisonTally(10);
 * t.add('P0000001', scorePerson(v1, facts, asOf, consent), scorePerson(v2, facts, asOf, consent));
 * t.result().tiers // [{ from: 'B', to: 'A', people: 1 }]
 */
export class ComparisonTally {
  readonly #keep: number;
  #people = 0;
  readonly #baseline = emptyStatus();
  readonly #candidate = emptyStatus();
  #changes = new Float64Array(1024);
  #both = 0;
  readonly #tiers = new Map<string, { from: Standing; to: Standing; people: number }>();
  readonly #privileges = new NamedTally();
  readonly #restrictions = new NamedTally();
  readonly #flags = new NamedTally();
  readonly #reasons = new Map<string, { code: string; text: string; baseline: number; candidate: number }>();
  readonly #largest: PersonChange[] = [];

  /** `largest`: how many of the people whose standing moved most to keep. */
  constructor(largest: number) {
    this.#keep = Math.max(0, Math.floor(largest));
  }

  add(subject: string, baseline: ScoreOutcome, candidate: ScoreOutcome): void {
    this.#people++;
    this.#baseline[baseline.status === 'scored' ? 'scored' : baseline.reason]++;
    this.#candidate[candidate.status === 'scored' ? 'scored' : candidate.reason]++;
    const from = standingOf(baseline);
    const to = standingOf(candidate);
    const cell = `${from}\u0000${to}`;
    const t = this.#tiers.get(cell);
    if (t) t.people++;
    else this.#tiers.set(cell, { from, to, people: 1 });
    const gained: Held[] = [];
    const lost: Held[] = [];
    const held = (kind: Held['kind'], tally: NamedTally, before: Set<string>, after: Set<string>): void => {
      tally.add(before, after);
      for (const name of after) if (!before.has(name)) gained.push({ kind, name });
      for (const name of before) if (!after.has(name)) lost.push({ kind, name });
    };
    held('privilege', this.#privileges, granted(baseline, 'privileges'), granted(candidate, 'privileges'));
    held(
      'restriction',
      this.#restrictions,
      granted(baseline, 'restrictions'),
      granted(candidate, 'restrictions'),
    );
    held('flag', this.#flags, flagsOf(baseline), flagsOf(candidate));
    this.#addReasons(baseline, 'baseline');
    this.#addReasons(candidate, 'candidate');
    let change: number | null = null;
    if (baseline.status === 'scored' && candidate.status === 'scored') {
      change = round2(candidate.score - baseline.score);
      if (this.#both === this.#changes.length) {
        const grown = new Float64Array(this.#changes.length * 2);
        grown.set(this.#changes);
        this.#changes = grown;
      }
      this.#changes[this.#both++] = change;
    }
    this.#keepLargest({
      subject,
      baseline: from,
      candidate: to,
      baselineScore: baseline.status === 'scored' ? baseline.score : null,
      candidateScore: candidate.status === 'scored' ? candidate.score : null,
      change,
      gained: gained.sort(byHeld),
      lost: lost.sort(byHeld),
    });
  }

  #addReasons(o: ScoreOutcome, side: 'baseline' | 'candidate'): void {
    if (o.status !== 'scored') return;
    for (const r of o.reasons) {
      let t = this.#reasons.get(r.code);
      if (!t) {
        t = { code: r.code, text: r.text, baseline: 0, candidate: 0 };
        this.#reasons.set(r.code, t);
      }
      t[side] += r.points;
    }
  }

  /**
   * Kept unsorted and cut back to the `keep` most moved whenever twice as many gather: a
   * `--largest` as large as the population costs one sort, not an insertion per person.
   */
  #keepLargest(c: PersonChange): void {
    if (this.#keep === 0 || !moved(c)) return;
    this.#largest.push(c);
    if (this.#largest.length >= 2 * this.#keep) this.#cutLargest();
  }

  #cutLargest(): void {
    this.#largest.sort(byMove);
    if (this.#largest.length > this.#keep) this.#largest.length = this.#keep;
  }

  #largestSorted(): PersonChange[] {
    this.#cutLargest();
    return [...this.#largest];
  }

  result(): Comparison {
    const changes = this.#changes.slice(0, this.#both).sort();
    let up = 0;
    let down = 0;
    let sum = 0;
    for (const c of changes) {
      if (c > 0) up++;
      else if (c < 0) down++;
      sum += c;
    }
    const n = changes.length;
    return {
      people: this.#people,
      baseline: { ...this.#baseline },
      candidate: { ...this.#candidate },
      ...(n === 0
        ? {}
        : {
            scores: {
              people: n,
              up,
              down,
              unchanged: n - up - down,
              mean: round2(sum / n),
              median: median(changes),
              p10: quantile(changes, 0.1),
              p90: quantile(changes, 0.9),
              min: changes[0] as number,
              max: changes[n - 1] as number,
            },
          }),
      tiers: [...this.#tiers.values()].sort(
        (a, b) => b.people - a.people || cmp(a.from, b.from) || cmp(a.to, b.to),
      ),
      privileges: this.#privileges.list(),
      restrictions: this.#restrictions.list(),
      flags: this.#flags.list(),
      reasons: [...this.#reasons.values()]
        .map((r) => ({ ...r, baseline: round2(r.baseline), candidate: round2(r.candidate) }))
        .sort(
          (a, b) =>
            Math.abs(b.candidate - b.baseline) - Math.abs(a.candidate - a.baseline) || cmp(a.code, b.code),
        ),
      largest: this.#largestSorted(),
    };
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byHeld = (a: Held, b: Held): number => cmp(a.kind, b.kind) || cmp(a.name, b.name);
