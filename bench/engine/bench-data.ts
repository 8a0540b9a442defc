import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseInstant } from '../../src/core/time/index.js';
import { FactGenerator } from './facts-generator.js';
import { type RulebookSpec, readRulebookSpec } from './rulebook-spec.js';

/** The repository root: this file runs from dist-bench/bench/engine/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const BENCH_RULEBOOK = 'bench/engine/fixtures/bench-50.yaml';
export const MARKETPLACE_RULEBOOK = 'examples/programs/marketplace.yaml';

/** Facts fall in 2023–2025; as-of values for scoring are drawn from the same span and after it. */
export const FROM = parseInstant('2023-01-01');
export const TO = parseInstant('2026-01-01');
export const SEED = 20260301;

export interface BenchRulebook {
  readonly path: string;
  readonly text: string;
  readonly spec: RulebookSpec;
}

export function readRulebook(path: string): BenchRulebook {
  const text = readFileSync(new URL(path, `file://${REPO_ROOT}`), 'utf8');
  return { path, text, spec: readRulebookSpec(text) };
}

/** The marketplace example when it exists, else the bench rulebook (item 3 of the issue). */
export function recomputeRulebookPath(): string {
  return existsSync(`${REPO_ROOT}${MARKETPLACE_RULEBOOK}`) ? MARKETPLACE_RULEBOOK : BENCH_RULEBOOK;
}

/** The bench's fact generator: 10–30 facts per person (mean 20), deterministic. */
export function benchGenerator(spec: RulebookSpec): FactGenerator {
  return new FactGenerator(spec, { seed: SEED, minFacts: 10, maxFacts: 30, from: FROM, to: TO });
}
