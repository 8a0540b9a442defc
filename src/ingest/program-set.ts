// Direct imports, not the rulebook index: stored versions compile from their stored spec (JSON)
// without the YAML parser or the schema validator, which keeps one-shot commands such as
// `credence score` quick to start.
import { CredenceError } from '../core/errors/index.js';
import { compileRulebookSpec } from '../core/rulebook/compile-spec.js';
import type { CompiledRulebook } from '../core/rulebook/types.js';
import { rulebookAt } from '../core/rulebook/versions.js';
import type { StoredRulebook } from '../store/store.js';
import { type EventCatalog, type EventTypeUse, eventCatalog } from './event-catalog.js';

/** One version of a program: what choosing it needs, and its rulebook compiled on first use. */
interface Version {
  readonly version: number;
  readonly effectiveFrom: number;
  rulebook(): CompiledRulebook;
}

const byProgram = (a: CompiledRulebook, b: CompiledRulebook): number =>
  a.program < b.program ? -1 : a.program > b.program ? 1 : 0;

/** The stored versions of one program, as a compiled version of it can reach them. */
export interface ProgramVersions {
  /** More than one version is stored, so which one applies depends on the instant. */
  readonly versioned: boolean;
  /** The version in force at `asOf` (docs/rulebook.md, "Versions"). */
  at(asOf: number): CompiledRulebook;
  /** Every event type some version declares. */
  types(): ReadonlySet<string>;
}

/** Each compiled version, to its program's versions: a cached score needs the one in force at its as-of. */
const versionsOfRulebook = new WeakMap<CompiledRulebook, ProgramVersions>();

/**
 * The versions of the program `rb` is a version of, when it came from a `ProgramSet`: what a
 * cached score, computed from a state kept under the latest version, uses to score under the
 * version in force at its as-of instead.
 */
export function versionsOf(rb: CompiledRulebook): ProgramVersions | undefined {
  return versionsOfRulebook.get(rb);
}

/** What a program's versions answer, over its list (sorted by version). */
function programVersions(list: readonly Version[]): ProgramVersions {
  let types: Set<string> | undefined;
  return {
    versioned: list.length > 1,
    at: (asOf) => (rulebookAt(list, asOf) as Version).rulebook(),
    types: () => {
      // Only versions in force at some as-of: one overtaken before its date scores nothing, and
      // one refused when compiled (a stored version a corrected one replaced) is never compiled.
      const live = new Set(list.map((v) => rulebookAt(list, v.effectiveFrom)));
      types ??= new Set([...live].flatMap((v) => Object.keys((v as Version).rulebook().events)));
      return types;
    },
  };
}

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
  /** Catalogues of a set of versions, by the versions' ids (few distinct sets exist). */
  readonly #catalogs = new Map<string, EventCatalog>();
  #versioned = false;

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
      // Each compiled version knows its program's versions (`versionsOf`), registered when compiled.
      let registered = false;
      const compile = v.rulebook;
      list.push({
        version: v.version,
        effectiveFrom: v.effectiveFrom,
        rulebook: () => {
          const rb = compile();
          if (!registered) {
            registered = true;
            versionsOfRulebook.set(rb, programVersions(list));
          }
          return rb;
        },
      });
      this.#versions.set(v.program, list);
    }
    for (const list of this.#versions.values()) list.sort((a, b) => a.version - b.version);
    this.#versioned = [...this.#versions.values()].some((list) => list.length > 1);
  }

  /** Some program has more than one version: which one applies depends on the instant. */
  get versioned(): boolean {
    return this.#versioned;
  }

  /**
   * What a fact that occurred at `at` may be, judged at `now`: the event types of every version
   * that may score it — the one in force at `at`, every one that comes into force after it (a
   * fact counts for every as-of from its occurredAt on, each under the version in force then),
   * and the one in force `now` — with the fields each of them declares (so none of them meets a
   * fact it cannot read). A version not yet in force does not take away a type the version in
   * force declares (docs/rulebook.md, "Versions").
   *
   * @example
   * set.catalogAt(Date.parse('2026-03-01T00:00:00Z'), Date.now()).types.has('shop.buy')
   */
  catalogAt(at: number, now: number): EventCatalog {
    if (!this.#versioned) return this.catalog;
    const picked: Version[] = [];
    const keys: string[] = [];
    for (const program of this.ids) {
      const list = this.#versions.get(program) as Version[];
      const chosen = new Set<Version>();
      chosen.add(rulebookAt(list, at) as Version);
      chosen.add(rulebookAt(list, now) as Version);
      for (const v of list)
        if (v.effectiveFrom > at) chosen.add(rulebookAt(list, v.effectiveFrom) as Version);
      for (const v of [...chosen].sort((a, b) => a.version - b.version)) {
        picked.push(v);
        keys.push(`${program}@${v.version}`);
      }
    }
    const key = keys.join(' ');
    let catalog = this.#catalogs.get(key);
    if (!catalog) {
      catalog = versionsCatalog(
        picked.map((v) => v.rulebook()),
        this.ids,
      );
      this.#catalogs.set(key, catalog);
    }
    return catalog;
  }

  /** The latest version of every program, by program id. */
  get active(): readonly CompiledRulebook[] {
    this.#active ??= [...this.#versions.values()]
      .map((list) => (list.at(-1) as Version).rulebook())
      .sort(byProgram);
    return this.#active;
  }

  /**
   * The latest version of every program but `program`: what a new version of it must agree with
   * (shared event types). Its own versions are not compiled, so one the hard line now refuses (a
   * word list grew since it was loaded) can still be replaced by a corrected version.
   */
  activeExcept(program: string): readonly CompiledRulebook[] {
    return [...this.#versions.entries()]
      .filter(([id]) => id !== program)
      .map(([, list]) => (list.at(-1) as Version).rulebook())
      .sort(byProgram);
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

/**
 * The catalogue of several versions (of one or more programs): a type any of them declares, fed
 * to the programs that declare it, with the fields of each declaring version required (one
 * declaration per distinct set of fields).
 */
function versionsCatalog(rulebooks: readonly CompiledRulebook[], programs: readonly string[]): EventCatalog {
  const types = new Map<
    string,
    { programs: string[]; fields: EventTypeUse['fields'][number][]; seen: Set<string> }
  >();
  for (const rb of [...rulebooks].sort(byProgram)) {
    for (const [name, def] of Object.entries(rb.events)) {
      let use = types.get(name);
      if (!use) {
        use = { programs: [], fields: [], seen: new Set() };
        types.set(name, use);
      }
      if (!use.programs.includes(rb.program)) use.programs.push(rb.program);
      const key = `${rb.program}\u0000${JSON.stringify(Object.entries(def.fields).sort())}`;
      if (use.seen.has(key)) continue;
      use.seen.add(key);
      use.fields.push({ program: rb.program, fields: def.fields });
    }
  }
  const out = new Map<string, EventTypeUse>();
  for (const [type, use] of types) out.set(type, { type, programs: use.programs, fields: use.fields });
  return { types: out, programs: new Set(programs) };
}
