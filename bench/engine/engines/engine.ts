import type { ScoringFact } from '../../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../../src/core/scoring/types.js';

/**
 * One way of turning a person's facts into ledger entries. `measures` says exactly what the
 * timed call includes, for BENCHMARKS.md.
 */
export type LedgerEngine =
  | {
      readonly name: string;
      readonly measures: string;
      readonly kind: 'sync';
      ledger(facts: readonly ScoringFact[]): LedgerEntry[];
    }
  | {
      readonly name: string;
      readonly measures: string;
      readonly kind: 'async';
      ledger(facts: readonly ScoringFact[]): Promise<LedgerEntry[]>;
    };
