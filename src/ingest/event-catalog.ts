import type { CompiledRulebook, FieldType } from '../core/rulebook/index.js';

/** Consent changes are facts of these reserved types, with `data.program`. */
export const CONSENT_TYPES: Readonly<Record<string, 'opt-in' | 'opt-out'>> = {
  'credence.opt_in': 'opt-in',
  'credence.opt_out': 'opt-out',
};

/** One event type as the loaded programs declare it. */
export interface EventTypeUse {
  readonly type: string;
  /** Programs that declare the type (each one is fed by its facts). */
  readonly programs: readonly string[];
  /** Field declarations, one per declaring program (they may differ). */
  readonly fields: readonly {
    readonly program: string;
    readonly fields: Readonly<Record<string, FieldType>>;
  }[];
}

/** What a fact may be: the event types of every loaded program, indexed by name. */
export interface EventCatalog {
  readonly types: ReadonlyMap<string, EventTypeUse>;
  readonly programs: ReadonlySet<string>;
  /**
   * Event types only a withheld program declares (`ProgramSet.withheld`), each with why no fact of
   * it is taken now: told instead of "no loaded program declares".
   */
  readonly withheld?: ReadonlyMap<string, string>;
}

/**
 * Builds the catalogue of event types from the programs' active rulebooks.
 *
 * @example
 * eventCatalog([marketplace, cityCivic]).types.get('loan.repaid')?.programs // ['city-civic', 'marketplace']
 */
export function eventCatalog(rulebooks: readonly CompiledRulebook[]): EventCatalog {
  const types = new Map<string, { programs: string[]; fields: EventTypeUse['fields'][number][] }>();
  for (const rb of [...rulebooks].sort((a, b) => (a.program < b.program ? -1 : 1))) {
    for (const [name, def] of Object.entries(rb.events)) {
      let use = types.get(name);
      if (!use) {
        use = { programs: [], fields: [] };
        types.set(name, use);
      }
      use.programs.push(rb.program);
      use.fields.push({ program: rb.program, fields: def.fields });
    }
  }
  const out = new Map<string, EventTypeUse>();
  for (const [type, use] of types) out.set(type, { type, ...use });
  return { types: out, programs: new Set(rulebooks.map((r) => r.program)) };
}
