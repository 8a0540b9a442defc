import { type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import type { CompiledRulebook } from '../rulebook/types.js';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A fact at `T0 + days` (test helper). */
export function fact(
  id: string,
  type: string,
  days: number,
  data: Record<string, FieldValue> = {},
  source = 'test',
): ScoringFact {
  return { key: factKey(source, id), id, source, type, at: T0 + days * DAY, data };
}

const HEAD = `program: t
name: Test
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers:
  - { id: A, min: 1000 }
  - { id: B, min: 900 }
  - { id: C, min: 0 }
dimensions: [d1, d2]
`;

/** Compiles a test rulebook: the common head plus the given YAML sections. */
export function rulebook(body: string, head = HEAD): CompiledRulebook {
  return compileRulebook(head + body, { file: 'test.yaml' });
}
