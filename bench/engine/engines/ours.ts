import type { ScoringFact } from '../../../src/core/facts/fact.js';
import { compileRulebook } from '../../../src/core/rulebook/index.js';
import type { CompiledRulebook } from '../../../src/core/rulebook/types.js';
import { buildLedger } from '../../../src/core/scoring/index.js';
import type { LedgerEntry } from '../../../src/core/scoring/types.js';
import type { LedgerEngine } from './engine.js';

/** Credence's own engine: the compiled rulebook and `buildLedger` from src/core/scoring. */
export function oursEngine(text: string, file: string): LedgerEngine & { rb: CompiledRulebook } {
  const rb = compileRulebook(text, { file });
  return {
    name: 'Credence (compiled rulebook, buildLedger)',
    measures:
      'buildLedger(rb, facts): copy + sort facts, per fact every rule of its type (when/points as src/core/rulebook compiles them: cel-js type check, then JS), caps, entries',
    kind: 'sync',
    rb,
    ledger: (facts: readonly ScoringFact[]): LedgerEntry[] => buildLedger(rb, facts),
  };
}
