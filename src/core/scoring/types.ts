import type { Decay, Reason } from '../rulebook/types.js';

/**
 * One line of a person's ledger: the raw points one rule awarded for one fact
 * (after its cap, before decay). The ledger depends only on facts and rulebook,
 * never on as-of: decay, inactivity and flags are applied when a score is asked for.
 */
export interface LedgerEntry {
  readonly factKey: string;
  readonly source: string;
  readonly factId: string;
  readonly type: string;
  readonly ruleId: string;
  readonly at: number;
  /** Points the rule's expression gave, before the cap. */
  readonly points: number;
  /** Points awarded after the cap (equal to `points` without a cap). */
  readonly raw: number;
  readonly dimension?: string;
  readonly reason: Reason;
  readonly decay: Decay;
}

/** One contribution at as-of, for explanations. */
export interface Contribution {
  readonly kind: 'rule' | 'inactivity';
  readonly ruleId: string;
  readonly factKey?: string;
  readonly factId?: string;
  readonly source?: string;
  readonly type?: string;
  readonly occurredAt?: number;
  readonly raw: number;
  /** What the rule gave before its cap, present only when the cap took some of it (`raw` is what it left). */
  readonly uncapped?: number;
  readonly points: number;
  readonly dimension?: string;
  readonly reason: Reason;
  readonly version: number;
}

export interface ReasonLine {
  readonly code: string;
  readonly text: string;
  readonly points: number;
}

export type NotScoredReason = 'opted-out' | 'not-enrolled' | 'insufficient-data';

export interface Scored {
  readonly status: 'scored';
  readonly program: string;
  readonly version: number;
  readonly asOf: number;
  readonly score: number;
  readonly scale: { readonly min: number; readonly max: number; readonly base: number };
  readonly tier: string;
  readonly dimensions: Readonly<Record<string, number>>;
  /** Grouped by reason code; key factors (largest negative first, up to four) lead. */
  readonly reasons: readonly ReasonLine[];
  readonly keyFactors: readonly ReasonLine[];
  readonly flags: readonly string[];
  readonly privileges: Readonly<Record<string, boolean>>;
  readonly restrictions: Readonly<Record<string, boolean>>;
  readonly factsCounted: number;
}

export interface NotScored {
  readonly status: 'not-scored';
  readonly program: string;
  readonly version: number;
  readonly asOf: number;
  readonly reason: NotScoredReason;
}

export type ScoreOutcome = Scored | NotScored;
