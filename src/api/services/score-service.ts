import { type App, findSubject, loadPerson } from '../../app.js';
import type { ConsentEvent } from '../../core/consent/index.js';
import type { ScoringFact } from '../../core/facts/fact.js';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import { type Explanation, explainPerson, type ScoreOutcome, scorePerson } from '../../core/scoring/index.js';
import type { DisputeService } from './dispute-service.js';
import type { ProgramHolder } from './program-holder.js';

/** People whose facts are held in memory for repeated queries. */
const PERSON_CACHE = 20_000;

export interface PersonView {
  readonly subject: string;
  readonly facts: readonly ScoringFact[];
  readonly consents: ReadonlyMap<string, ConsentEvent[]>;
}

/**
 * Scores and explanations computed from the stored facts at the asked instant, as the CLI's
 * `score` and `explain` do, with facts under open dispute marked (each program decides whether
 * they still count). Nothing here writes.
 *
 * @example
 * const o = await scores.score('P0000001', 'city-civic', Date.now());
 */
export class ScoreService {
  readonly #app: App;
  readonly #programs: ProgramHolder;
  readonly #disputes: DisputeService;
  readonly #dataVersion: () => number;
  /** People recently read, valid while no other connection has committed (LRU by Map order). */
  readonly #cache = new Map<string, { facts: ScoringFact[]; consents: Map<string, ConsentEvent[]> }>();
  #cacheVersion = -1;

  /**
   * `dataVersion` is SQLite's `PRAGMA data_version` on a connection that does not write facts: it
   * moves whenever ingest (in this process or any other) commits, which empties the cache.
   */
  constructor(app: App, programs: ProgramHolder, disputes: DisputeService, dataVersion: () => number) {
    this.#app = app;
    this.#programs = programs;
    this.#disputes = disputes;
    this.#dataVersion = dataVersion;
  }

  async #load(subject: string): Promise<{ facts: ScoringFact[]; consents: Map<string, ConsentEvent[]> }> {
    const v = this.#dataVersion();
    if (v !== this.#cacheVersion) {
      this.#cache.clear();
      this.#cacheVersion = v;
    }
    const hit = this.#cache.get(subject);
    if (hit) return hit;
    const loaded = await loadPerson(this.#app, subject);
    // Another commit may have landed while reading: only cache what is known to be current.
    if (this.#dataVersion() === v) {
      if (this.#cache.size >= PERSON_CACHE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(subject, loaded);
    }
    return loaded;
  }

  /** A subject id or a strong identifier (national id, passport, phone…) to the one person it names. */
  resolveSubject(text: string): Promise<string> {
    return findSubject(this.#app, text);
  }

  async person(subject: string): Promise<PersonView> {
    const { facts, consents } = await this.#load(subject);
    const open = this.#disputes.openKeys(subject);
    return {
      subject,
      facts:
        open && open.size > 0 ? facts.map((f) => (open.has(f.key) ? { ...f, disputed: true } : f)) : facts,
      consents,
    };
  }

  rulebook(program: string, asOf: number): CompiledRulebook {
    return this.#programs.at(program, asOf);
  }

  async score(subject: string, program: string, asOf: number): Promise<ScoreOutcome> {
    const rb = this.rulebook(program, asOf);
    const p = await this.person(subject);
    return scorePerson(rb, p.facts, asOf, p.consents.get(program) ?? []);
  }

  async explain(subject: string, program: string, asOf: number): Promise<Explanation> {
    const rb = this.rulebook(program, asOf);
    const p = await this.person(subject);
    return explainPerson(rb, p.facts, asOf, p.consents.get(program) ?? []);
  }
}
