import { type App, findSubject, loadPerson } from '../../app.js';
import { type ConsentEvent, consentVerdict } from '../../core/consent/index.js';
import type { ScoringFact } from '../../core/facts/fact.js';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import {
  type Explanation,
  explainPerson,
  PersonState,
  type ScoreOutcome,
  scorePerson,
} from '../../core/scoring/index.js';
import type { DisputeService } from './dispute-service.js';
import type { ProgramHolder } from './program-holder.js';

/** People whose facts and scoring states are held in memory for repeated queries. */
const PERSON_CACHE = 20_000;

export interface PersonView {
  readonly subject: string;
  /** Facts with their dispute marks. */
  readonly facts: readonly ScoringFact[];
  readonly consents: ReadonlyMap<string, ConsentEvent[]>;
}

interface Cached extends PersonView {
  /** Scoring state per `program@version`, built on first use. */
  readonly states: Map<string, PersonState>;
}

/**
 * Scores and explanations computed from the stored facts at the asked instant, as the CLI's
 * `score` and `explain` do, with facts under open dispute marked (each program decides whether
 * they still count). Nothing here writes.
 *
 * A person's facts and scoring state stay in memory until anything changes them: the cache is
 * emptied when another connection commits (`dataVersion`) or a dispute mark moves. A state holds
 * all the person's facts; scoring at `asOf` reads only those at or before it (the ledger of earlier
 * facts does not depend on later ones), so one state answers every as-of.
 *
 * @example
 * const o = await scores.score('P0000001', 'city-civic', Date.now());
 */
export class ScoreService {
  readonly #app: App;
  readonly #programs: ProgramHolder;
  readonly #disputes: DisputeService;
  readonly #dataVersion: () => number;
  readonly #cache = new Map<string, Cached>();
  /** What each asked subject text resolved to (a subject id to itself), emptied with `#cache`. */
  readonly #resolved = new Map<string, string>();
  #cacheVersion = -1;
  #checkedThisTurn = false;
  #turnVersion = -1;
  readonly #endTurn = (): void => {
    this.#checkedThisTurn = false;
  };
  #cacheDisputes = -1;

  /**
   * `dataVersion` is SQLite's `PRAGMA data_version` on a connection that does not write facts: it
   * moves whenever ingest (in this process or any other) commits.
   */
  constructor(app: App, programs: ProgramHolder, disputes: DisputeService, dataVersion: () => number) {
    this.#app = app;
    this.#programs = programs;
    this.#disputes = disputes;
    this.#dataVersion = dataVersion;
  }

  /** A subject id or a strong identifier (national id, passport, phone…) to the one person it names. */
  async resolveSubject(text: string): Promise<string> {
    const known = this.knownSubject(text);
    if (known !== undefined) return known;
    const v = this.#dataVersion();
    const g = this.#disputes.generation;
    const subject = await findSubject(this.#app, text, 'subject');
    this.#fresh();
    // Only what is known to be current is kept: another commit may have landed meanwhile.
    if (this.#cacheVersion === v && this.#cacheDisputes === g) {
      if (this.#resolved.size >= PERSON_CACHE)
        this.#resolved.delete(this.#resolved.keys().next().value as string);
      this.#resolved.set(text, subject);
    }
    return subject;
  }

  /** The person `text` named when last resolved, if nothing was written since: no query. */
  knownSubject(text: string): string | undefined {
    this.#fresh();
    return this.#resolved.get(text);
  }

  /**
   * Empties the caches when anything was committed since they were filled. Asks SQLite at most
   * once per turn of the event loop (a PRAGMA per request was 4 % of the hot path): a commit by
   * another process shows within one turn, as it would had it landed a moment later.
   */
  #fresh(): void {
    if (!this.#checkedThisTurn) {
      this.#checkedThisTurn = true;
      setImmediate(this.#endTurn);
      this.#turnVersion = this.#dataVersion();
    }
    const v = this.#turnVersion;
    // Dispute marks move in this process: checked on every call, it costs nothing.
    const g = this.#disputes.generation;
    if (v !== this.#cacheVersion || g !== this.#cacheDisputes) {
      this.#cache.clear();
      this.#resolved.clear();
      this.#cacheVersion = v;
      this.#cacheDisputes = g;
    }
  }

  async #entry(subject: string): Promise<Cached> {
    this.#fresh();
    const v = this.#cacheVersion;
    const g = this.#cacheDisputes;
    const hit = this.#cache.get(subject);
    if (hit) return hit;
    const { facts, consents } = await loadPerson(this.#app, subject);
    const open = this.#disputes.openKeys();
    const entry: Cached = {
      subject,
      facts:
        open.size > 0 && facts.some((f) => open.has(f.key))
          ? facts.map((f) => (open.has(f.key) ? { ...f, disputed: true } : f))
          : facts,
      consents,
      states: new Map(),
    };
    // Another commit may have landed while reading: only cache what is known to be current.
    if (this.#dataVersion() === v && this.#disputes.generation === g) {
      if (this.#cache.size >= PERSON_CACHE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(subject, entry);
    }
    return entry;
  }

  async person(subject: string): Promise<PersonView> {
    return this.#entry(subject);
  }

  rulebook(program: string, asOf: number): CompiledRulebook {
    return this.#programs.at(program, asOf);
  }

  async score(subject: string, program: string, asOf: number): Promise<ScoreOutcome> {
    return this.#scoreOf(await this.#entry(subject), program, asOf);
  }

  /**
   * The score when the person is already in memory (the hot path: no promise, no query), else
   * undefined and the caller awaits `score`.
   */
  scoreCached(subject: string, program: string, asOf: number): ScoreOutcome | undefined {
    this.#fresh();
    const p = this.#cache.get(subject);
    return p ? this.#scoreOf(p, program, asOf) : undefined;
  }

  #scoreOf(p: Cached, program: string, asOf: number): ScoreOutcome {
    const rb = this.rulebook(program, asOf);
    const consent = p.consents.get(program) ?? [];
    // Consent first: for an opted-out or not-enrolled person no state is built at all.
    const verdict = consentVerdict(rb.enrollment, consent, asOf);
    if (!verdict.scorable) return scorePerson(rb, [], asOf, consent);
    const key = `${rb.program}@${rb.version}`;
    let state = p.states.get(key);
    if (!state) {
      // Facts from before the person came in (before an opt-out, while out, before an opt-in)
      // never count: no rule is evaluated on them either. The instant does not depend on as-of.
      const floor = verdict.factsAfter;
      state = new PersonState(rb, floor === undefined ? p.facts : p.facts.filter((f) => f.at > floor));
      p.states.set(key, state);
    }
    return state.score(asOf, consent);
  }

  async explain(subject: string, program: string, asOf: number): Promise<Explanation> {
    const rb = this.rulebook(program, asOf);
    const p = await this.#entry(subject);
    return explainPerson(rb, p.facts, asOf, p.consents.get(program) ?? []);
  }
}
