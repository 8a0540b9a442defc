import type { FieldValue, ScoringFact } from '../facts/fact.js';
import type { Category } from './categories.js';

export type FieldType = 'number' | 'string' | 'boolean';

export interface EventTypeDef {
  readonly name: string;
  readonly category: Category;
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Retention in ms: a fact older than this is deleted (`credence purge`). */
  readonly retainMs?: number;
  readonly retain?: string;
}

export interface Reason {
  readonly code: string;
  readonly text: string;
}

/** A compiled CEL expression over one fact: returns a number (points) or a boolean (when). */
export type FactExpr<T> = (data: Readonly<Record<string, FieldValue>>) => T;

export type Decay =
  | { readonly kind: 'none' }
  | { readonly kind: 'expires'; readonly ms: number; readonly text: string }
  | { readonly kind: 'halfLife'; readonly ms: number; readonly text: string };

export interface CompiledRule {
  readonly id: string;
  readonly on: string;
  readonly when?: FactExpr<boolean>;
  readonly whenText?: string;
  readonly points: FactExpr<number>;
  readonly pointsText: string;
  readonly dimension?: string;
  readonly reason: Reason;
  readonly decay: Decay;
  readonly cap?: { readonly max: number; readonly perMs: number; readonly per: string };
}

export interface CompiledInactivity {
  readonly id: string;
  readonly of: readonly string[];
  readonly afterMs: number;
  readonly points: number;
  readonly everyMs?: number;
  readonly limit?: number;
  readonly dimension?: string;
  readonly reason: Reason;
}

export interface CompiledFlag {
  readonly id: string;
  readonly set: string;
  readonly clear?: string;
  /** Fields that pair a listing with its removal (e.g. court and case); none: latest wins. */
  readonly key?: readonly string[];
  readonly reason: Reason;
}

/** What a privilege or restriction reads, found statically in its CEL expression. */
export interface PolicyReads {
  readonly score: boolean;
  readonly tier: boolean;
  /** Flag ids named in the expression; `allFlags` when it reads the list as a whole. */
  readonly flags: readonly string[];
  readonly allFlags: boolean;
  readonly dimensions: readonly string[];
  readonly allDimensions: boolean;
}

export interface PolicyInput {
  readonly score: number;
  readonly tier: string;
  readonly dimensions: Readonly<Record<string, number>>;
  readonly flags: readonly string[];
}

export interface CompiledPolicy {
  readonly id: string;
  readonly kind: 'privilege' | 'restriction';
  readonly context: string;
  readonly whenText: string;
  readonly when: (input: PolicyInput) => boolean;
  readonly reads: PolicyReads;
  /** The parsed expression, kept to explain why the policy holds or not. */
  readonly ast: unknown;
  readonly legalBasis?: string;
  /** The purposes a relying party may ask about it under (trimmed, once each); none: any. */
  readonly purposes?: readonly string[];
  readonly description?: string;
}

export interface Tier {
  readonly id: string;
  readonly min: number;
}

export interface CompiledRulebook {
  readonly program: string;
  readonly name: string;
  /** Assigned by the store when a version is added; 1 for a rulebook compiled alone. */
  readonly version: number;
  readonly effectiveFrom: number;
  readonly enrollment: 'opt-in' | 'opt-out';
  readonly scale: { readonly min: number; readonly max: number; readonly base: number };
  readonly tiers: readonly Tier[];
  readonly dimensions: readonly string[];
  readonly minFacts: number;
  readonly disputes: { readonly suspend: boolean };
  /** `authorisation: 'required'`: a relying party's query names the person's authorisation. */
  readonly inquiries?: { readonly authorisation: 'required' | 'none' };
  readonly events: Readonly<Record<string, EventTypeDef>>;
  readonly rules: readonly CompiledRule[];
  /** Rules indexed by the event type they read, in declaration order. */
  readonly rulesByType: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly inactivity: readonly CompiledInactivity[];
  readonly flags: readonly CompiledFlag[];
  readonly privileges: readonly CompiledPolicy[];
  readonly restrictions: readonly CompiledPolicy[];
  /** The YAML text it was compiled from, kept so any version can be shown and recompiled. */
  readonly source: string;
}

export type { ScoringFact };
