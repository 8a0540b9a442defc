import { parse } from 'yaml';
import type { Decay, FieldType, Reason } from '../../src/core/rulebook/types.js';
import { parseDuration } from '../../src/core/time/index.js';

/**
 * The parts of a rulebook the comparison engines need, read straight from the YAML.
 * The other engines must not depend on our compiler: they get the same text, and the
 * bench checks that every engine awards the same points.
 */
export interface RuleSpec {
  readonly index: number;
  readonly id: string;
  readonly on: string;
  readonly whenText?: string;
  /** A CEL expression, or a number written as text. */
  readonly pointsText: string;
  readonly cap?: { readonly max: number; readonly perMs: number };
  readonly dimension?: string;
  readonly reason: Reason;
  readonly decay: Decay;
}

export interface RulebookSpec {
  readonly program: string;
  readonly events: Readonly<
    Record<string, { category: string; fields: Readonly<Record<string, FieldType>> }>
  >;
  readonly rules: readonly RuleSpec[];
  readonly rulesByType: ReadonlyMap<string, readonly RuleSpec[]>;
}

interface RawRule {
  id: string;
  on: string;
  when?: string;
  points: number | string;
  cap?: { max: number; per: string };
  dimension?: string;
  reason: Reason;
  decay?: { expires?: string; halfLife?: string };
}

/**
 * Reads the event types and rules of a rulebook's YAML, without validating it (the
 * compiler does that; this is bench input).
 *
 * @example
 * const spec = readRulebookSpec(readFileSync('bench/engine/fixtures/bench-50.yaml', 'utf8'));
 */
export function readRulebookSpec(text: string): RulebookSpec {
  const doc = parse(text) as {
    program: string;
    events: Record<string, { category: string; fields?: Record<string, FieldType> }>;
    rules?: RawRule[];
  };
  const events: Record<string, { category: string; fields: Record<string, FieldType> }> = {};
  for (const [name, def] of Object.entries(doc.events)) {
    events[name] = { category: def.category, fields: def.fields ?? {} };
  }
  const rules = (doc.rules ?? []).map((r, index): RuleSpec => {
    let decay: Decay = { kind: 'none' };
    if (r.decay?.expires)
      decay = { kind: 'expires', ms: parseDuration(r.decay.expires), text: r.decay.expires };
    else if (r.decay?.halfLife) {
      decay = { kind: 'halfLife', ms: parseDuration(r.decay.halfLife), text: r.decay.halfLife };
    }
    return {
      index,
      id: r.id,
      on: r.on,
      ...(r.when !== undefined ? { whenText: r.when } : {}),
      pointsText: String(r.points),
      ...(r.cap ? { cap: { max: r.cap.max, perMs: parseDuration(r.cap.per) } } : {}),
      ...(r.dimension !== undefined ? { dimension: r.dimension } : {}),
      reason: r.reason,
      decay,
    };
  });
  const rulesByType = new Map<string, RuleSpec[]>();
  for (const r of rules) {
    const list = rulesByType.get(r.on) ?? [];
    list.push(r);
    rulesByType.set(r.on, list);
  }
  return { program: doc.program, events, rules, rulesByType };
}
