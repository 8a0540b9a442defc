// Direct imports, not the rulebook index: stored versions compile without the schema validator,
// which keeps one-shot commands such as `credence score` quick to start.
import { compileStoredRulebook } from '../core/rulebook/compile-stored.js';
import type { CompiledRulebook } from '../core/rulebook/types.js';
import { rulebookAt } from '../core/rulebook/versions.js';
import type { StoredRulebook } from '../store/store.js';
import { type EventCatalog, eventCatalog } from './event-catalog.js';

/**
 * The loaded programs: every stored rulebook version compiled, the latest of each program
 * active for ingest (its ledger), and the version in force at any as-of for queries.
 */
export class ProgramSet {
  readonly #versions = new Map<string, CompiledRulebook[]>();
  readonly active: readonly CompiledRulebook[];
  readonly catalog: EventCatalog;

  constructor(rulebooks: readonly CompiledRulebook[]) {
    for (const rb of rulebooks) {
      const list = this.#versions.get(rb.program) ?? [];
      list.push(rb);
      this.#versions.set(rb.program, list);
    }
    const active: CompiledRulebook[] = [];
    for (const list of this.#versions.values()) {
      list.sort((a, b) => a.version - b.version);
      active.push(list.at(-1) as CompiledRulebook);
    }
    this.active = active.sort((a, b) => (a.program < b.program ? -1 : a.program > b.program ? 1 : 0));
    this.catalog = eventCatalog(this.active);
  }

  /** Compiles stored versions (they were validated when loaded, so this does not fail in practice). */
  static fromStored(stored: readonly StoredRulebook[]): ProgramSet {
    return new ProgramSet(
      stored.map((s) =>
        compileStoredRulebook(s.yaml, {
          file: `${s.program} v${s.version}`,
          version: s.version,
          effectiveFrom: s.effectiveFrom,
        }),
      ),
    );
  }

  get ids(): string[] {
    return this.active.map((r) => r.program);
  }

  /** The active (latest) version of a program. */
  get(program: string): CompiledRulebook | undefined {
    return this.#versions.get(program)?.at(-1);
  }

  /** The version in force at `asOf`. */
  at(program: string, asOf: number): CompiledRulebook | undefined {
    const list = this.#versions.get(program);
    return list ? rulebookAt(list, asOf) : undefined;
  }
}
