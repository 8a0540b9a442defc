// Direct imports, not the rulebook index: stored versions compile from their stored spec (JSON)
// without the YAML parser or the schema validator, which keeps one-shot commands such as
// `credence score` quick to start.
import { type ConsentEvent, consentVerdict } from '../core/consent/index.js';
import { CredenceError, isCredenceError } from '../core/errors/index.js';
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
  /**
   * The event types it declares with their `retain` as written, read from the stored spec without
   * compiling it (a refused version compiles no more).
   */
  events?(): Readonly<Record<string, { readonly retain?: unknown }>>;
}

/**
 * A program withheld from scoring: a version of it that is in force at some as-of is one this
 * build refuses when compiled — the hard line (its word joined the lists after it was loaded), or
 * any other check (a stricter compiler, a CEL upgrade: it no longer compiles). Its `error` names
 * the version and every problem.
 */
export interface WithheldProgram {
  readonly program: string;
  readonly version: number;
  readonly error: CredenceError;
  /** The event types its versions declare: facts of them are scored by none of them now. */
  readonly eventTypes: readonly string[];
}

/**
 * The codes a stored version is refused with when compiled: each withholds its program. Any other
 * failure (the database, a bug) is thrown as it is, never taken for a refused version.
 */
const REFUSED_VERSION_CODES: ReadonlySet<string> = new Set([
  'CREDENCE_E_RULEBOOK_PROHIBITED',
  'CREDENCE_E_RULEBOOK_CONTEXT',
  'CREDENCE_E_RULEBOOK_INVALID',
  'CREDENCE_E_CEL',
]);

/** The error is a stored version refused when compiled (the hard line or any other check). */
export function isRefusedVersion(e: unknown): e is CredenceError {
  return isCredenceError(e) && REFUSED_VERSION_CODES.has(e.code);
}

/**
 * Why a withheld program's version is refused, in one line: the hard line's reasons (each names
 * its rule and word), or each problem the compiler found, where.
 */
export function refusedReasons(w: WithheldProgram): string {
  return w.error.details
    .map((d) => (byHardLine(w) || !d.path ? d.reason : `${d.path}: ${d.reason}`))
    .join('; ');
}

/** Refused by the hard line, not by another check of the compiler. */
export const byHardLine = (w: WithheldProgram): boolean => w.error.code === 'CREDENCE_E_RULEBOOK_PROHIBITED';

/**
 * What the operator is told of a withheld program, in one paragraph: which program, which version,
 * why, and what to do.
 *
 * @example
 * withheldWords(w) // 'program notes scores no one: notes v2 is refused by the hard line (…'
 * withheldWords(w) // 'program notes scores no one: notes v2 no longer compiles (rules[0].when: …'
 */
export function withheldWords(w: WithheldProgram): string {
  const why = w.error.details.map((d) => `${d.path ? `${d.path}: ` : ''}${d.reason}`).join('; ');
  const refused = byHardLine(w) ? 'is refused by the hard line' : 'no longer compiles';
  return `program ${w.program} scores no one: ${w.program} v${w.version} ${refused} (${why}) [${w.error.code}]; no ledger or score is kept in ${w.program} and its cached scores are not served, while the other programs go on; load a corrected version (credence program load FILE.yaml, or validate and activate one over the API), which replaces v${w.version} for every as-of when it has no effectiveFrom, and re-derives its ledgers`;
}

/** The version of a program's list refused when compiled among those in force at some as-of, if any. */
function refusalOf(program: string, list: readonly Version[]): WithheldProgram | undefined {
  // The latest first (it keeps the ledger), then those still in force at some as-of: one overtaken
  // everywhere by a later version (a corrected one loaded without effectiveFrom) is not read.
  const live = [
    ...new Set([list.at(-1) as Version, ...list.map((v) => rulebookAt(list, v.effectiveFrom) as Version)]),
  ];
  for (const v of live) {
    try {
      v.rulebook();
    } catch (e) {
      if (!isRefusedVersion(e)) throw e;
      const types = new Set(list.flatMap((x) => Object.keys(x.events?.() ?? {})));
      return { program, version: v.version, error: e, eventTypes: [...types].sort() };
    }
  }
  return undefined;
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
  /** Each program's refusal (undefined: none), found the first time it is asked. */
  readonly #refusals = new Map<string, WithheldProgram | undefined>();

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
   * loaded, so compiling does not fail in practice; the hard line is checked again all the same,
   * and so is every check a stricter build added since (such a version withholds its program).
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
          events: () => {
            const spec = s.spec === null ? undefined : (JSON.parse(s.spec) as { events?: unknown });
            return spec?.events && typeof spec.events === 'object'
              ? (spec.events as Record<string, { retain?: unknown }>)
              : {};
          },
          rulebook: () => {
            const file = `${s.program} v${s.version}`;
            // A stored text that is not YAML has no spec; nothing could be compiled from it.
            if (s.spec === null) {
              throw new CredenceError('CREDENCE_E_RULEBOOK_INVALID', `${file} is not valid YAML`, { file });
            }
            if (!compiled) {
              // Its rules' CEL too (`eagerCel`), which compileRulebookSpec would leave to each
              // rule's first fact: a version whose expression no longer compiles is refused here, as
              // a whole, so it withholds its program rather than stop whichever ingest first meets
              // the rule. Compiled once: the rules keep what this compiled.
              compiled = compileRulebookSpec(JSON.parse(s.spec), s.yaml, {
                file,
                version: s.version,
                effectiveFrom: s.effectiveFrom,
                eagerCel: true,
              });
            }
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
        ...(v.events ? { events: v.events } : {}),
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
    for (const program of this.scoringIds) {
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
      catalog = withWithheld(
        versionsCatalog(
          picked.map((v) => v.rulebook()),
          this.ids,
        ),
        this.ids,
        this.withheld,
      );
      this.#catalogs.set(key, catalog);
    }
    return catalog;
  }

  /**
   * The latest version of every program that scores (not `withheld`), by program id: what ingest
   * keeps ledgers under.
   */
  get active(): readonly CompiledRulebook[] {
    this.#active ??= this.scoringIds.map((id) => this.#latest(id).rulebook());
    return this.#active;
  }

  /**
   * The latest version of every scoring program but `program`: what a new version of it must agree
   * with (shared event types). Its own versions are not compiled, so one refused when compiled
   * (a word list grew since it was loaded, a check was added) can still be replaced by a corrected version; nor is
   * another program's refused version in the way.
   */
  activeExcept(program: string): readonly CompiledRulebook[] {
    return this.ids
      .filter((id) => id !== program && !this.#refusal(id))
      .map((id) => this.#latest(id).rulebook());
  }

  /**
   * The programs withheld from scoring, by id: a version of each, in force at some as-of, is one
   * refused when compiled (the hard line, or any check of this build). Ingest keeps no ledger or score in them and takes no fact only they
   * declare; a consent change for them is still taken (`catalog.programs` names them).
   */
  get withheld(): ReadonlyMap<string, WithheldProgram> {
    const out = new Map<string, WithheldProgram>();
    for (const id of this.ids) {
      const r = this.#refusal(id);
      if (r) out.set(id, r);
    }
    return out;
  }

  /**
   * A withheld program's event types at `asOf` (by the version in force then, as retention is read
   * for the others) with each one's `retain` as its stored spec writes it: what purge and ingest
   * keep its facts by while it scores no one, since its versions compile no more. Undefined for a
   * program that is not withheld (read its compiled version).
   */
  withheldRetention(program: string, asOf: number): ReadonlyMap<string, string | undefined> | undefined {
    if (!this.#refusal(program)) return undefined;
    const list = this.#versions.get(program) as Version[];
    const events = (rulebookAt(list, asOf) as Version).events?.() ?? {};
    return new Map(
      Object.entries(events).map(([type, def]) => [
        type,
        typeof def?.retain === 'string' ? def.retain : undefined,
      ]),
    );
  }

  /** The ids of the programs that score (not `withheld`), sorted. */
  get scoringIds(): string[] {
    return this.ids.filter((id) => !this.#refusal(id));
  }

  /** The latest version of a loaded program. */
  #latest(program: string): Version {
    return (this.#versions.get(program) as Version[]).at(-1) as Version;
  }

  #refusal(program: string): WithheldProgram | undefined {
    if (!this.#refusals.has(program)) {
      this.#refusals.set(program, refusalOf(program, this.#versions.get(program) ?? []));
    }
    return this.#refusals.get(program);
  }

  /**
   * The event types of the active versions; every loaded program, withheld ones too, may be named
   * by a consent change (an opt-out must be recorded whatever its rulebook).
   */
  get catalog(): EventCatalog {
    this.#catalog ??= withWithheld(eventCatalog(this.active), this.ids, this.withheld);
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

/**
 * A catalogue naming every loaded program (consent changes name withheld ones too) and, for each
 * event type only a withheld program declares, why no fact of it is taken now.
 */
function withWithheld(
  catalog: EventCatalog,
  programs: readonly string[],
  withheld: ReadonlyMap<string, WithheldProgram>,
): EventCatalog {
  if (withheld.size === 0) return catalog;
  const why = new Map<string, string>();
  for (const w of withheld.values()) {
    for (const type of w.eventTypes) {
      if (catalog.types.has(type) || why.has(type)) continue;
      why.set(
        type,
        `"${type}" is declared by ${w.program}, whose version ${w.version} ${byHardLine(w) ? 'the hard line refuses' : `no longer compiles (${w.error.code})`}, so no program scores it now: it is not stored; send it again once a corrected version of ${w.program} is loaded`,
      );
    }
  }
  return { types: catalog.types, programs: new Set(programs), withheld: why };
}

/**
 * Whether a person with these consent changes is in `program` at `at`, by the version in force
 * then (undefined: none is, or it is withheld, so its enrolment cannot be read): what an opt-out
 * answers as `wasEnrolled`, over the API and in `credence consent`.
 */
export function enrolledAt(
  programs: ProgramSet,
  program: string,
  consents: readonly ConsentEvent[],
  at: number,
): boolean | undefined {
  let enrollment: 'opt-in' | 'opt-out';
  try {
    const rb = programs.at(program, at);
    if (rb === undefined) return undefined;
    enrollment = rb.enrollment;
  } catch {
    return undefined;
  }
  return consentVerdict(enrollment, consents, at).scorable;
}
