// Direct imports, not the rulebook index: stored versions compile from their stored spec (JSON)
// without the YAML parser or the schema validator, which keeps one-shot commands such as
// `credence score` quick to start.
import { CredenceError } from '../core/errors/index.js';
import { compileRulebookSpec } from '../core/rulebook/compile-spec.js';
import type { CompiledRulebook } from '../core/rulebook/types.js';
import { rulebookAt } from '../core/rulebook/versions.js';
import type { StoredRulebook } from '../store/store.js';
import { type EventCatalog, eventCatalog } from './event-catalog.js';

/** One version of a program: what choosing it needs, and its rulebook compiled on first use. */
interface Version {
  readonly version: number;
  readonly effectiveFrom: number;
  rulebook(): CompiledRulebook;
}

const byProgram = (a: CompiledRulebook, b: CompiledRulebook): number =>
  a.program < b.program ? -1 : a.program > b.program ? 1 : 0;

/**
 * The loaded programs: every stored rulebook version, the latest of each program active for
 * ingest (its ledger), and the version in force at any as-of for queries.
 *
 * Stored versions compile lazily, the first time something asks for them: `credence score`
 * compiles the one version it scores with, not every version of every program (compiling was
 * most of its start-up). Ingest asks for `active` and `catalog`, which compile each program's
 * latest version once.
 */
export class ProgramSet {
  readonly #versions = new Map<string, Version[]>();
  #active: readonly CompiledRulebook[] | undefined;
  #catalog: EventCatalog | undefined;

  constructor(rulebooks: readonly CompiledRulebook[]) {
    this.#add(
      rulebooks.map((rb) => ({
        program: rb.program,
        version: rb.version,
        effectiveFrom: rb.effectiveFrom,
        rulebook: () => rb,
      })),
    );
  }

  /**
   * Stored versions, compiled on first use from their stored spec. They were validated when
   * loaded, so compiling does not fail in practice; the hard line is checked again all the same.
   */
  static fromStored(stored: readonly StoredRulebook[]): ProgramSet {
    const set = new ProgramSet([]);
    set.#add(
      stored.map((s) => {
        let compiled: CompiledRulebook | undefined;
        return {
          program: s.program,
          version: s.version,
          effectiveFrom: s.effectiveFrom,
          rulebook: () => {
            const file = `${s.program} v${s.version}`;
            // A stored text that is not YAML has no spec; nothing could be compiled from it.
            if (s.spec === null) {
              throw new CredenceError('CREDENCE_E_RULEBOOK_INVALID', `${file} is not valid YAML`, { file });
            }
            compiled ??= compileRulebookSpec(JSON.parse(s.spec), s.yaml, {
              file,
              version: s.version,
              effectiveFrom: s.effectiveFrom,
            });
            return compiled;
          },
        };
      }),
    );
    return set;
  }

  #add(versions: readonly (Version & { readonly program: string })[]): void {
    for (const v of versions) {
      const list = this.#versions.get(v.program) ?? [];
      list.push(v);
      this.#versions.set(v.program, list);
    }
    for (const list of this.#versions.values()) list.sort((a, b) => a.version - b.version);
  }

  /** The latest version of every program, by program id. */
  get active(): readonly CompiledRulebook[] {
    this.#active ??= [...this.#versions.values()]
      .map((list) => (list.at(-1) as Version).rulebook())
      .sort(byProgram);
    return this.#active;
  }

  /** The event types of the active versions. */
  get catalog(): EventCatalog {
    this.#catalog ??= eventCatalog(this.active);
    return this.#catalog;
  }

  /** Program ids, sorted; known without compiling anything. */
  get ids(): string[] {
    return [...this.#versions.keys()].sort();
  }

  /** The active (latest) version of a program. */
  get(program: string): CompiledRulebook | undefined {
    return this.#versions.get(program)?.at(-1)?.rulebook();
  }

  /** The version in force at `asOf`. */
  at(program: string, asOf: number): CompiledRulebook | undefined {
    const list = this.#versions.get(program);
    return list ? rulebookAt(list, asOf)?.rulebook() : undefined;
  }
}
