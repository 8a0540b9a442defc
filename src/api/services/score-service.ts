import { type App, findSubject, loadPerson } from '../../app.js';
import { type ConsentEvent, consentVerdict } from '../../core/consent/index.js';
import { CredenceError, isCredenceError } from '../../core/errors/index.js';
import type { ScoringFact } from '../../core/facts/fact.js';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import {
  type Explanation,
  explainPerson,
  PersonState,
  type ScoreOutcome,
  scorePerson,
} from '../../core/scoring/index.js';
import type { DataWatch } from './data-watch.js';
import type { DisputeService, DisputeSpan } from './dispute-service.js';
import type { ProgramHolder } from './program-holder.js';

/** People whose facts and scoring states are held in memory for repeated queries. */
const PERSON_CACHE = 20_000;

export interface PersonView {
  readonly subject: string;
  /** Facts without dispute marks (they depend on the instant: `factsAt`). */
  readonly facts: readonly ScoringFact[];
  readonly consents: ReadonlyMap<string, ConsentEvent[]>;
}

interface Cached extends PersonView {
  /**
   * Scoring state per `program@version`, built on first use; for a person with disputed facts,
   * per `program@version#stretch` (the marks differ from one stretch of time to the next).
   */
  readonly states: Map<string, PersonState>;
  /** When the person's facts were under dispute; undefined when none ever was (the usual case). */
  readonly marks: DisputeMarks | undefined;
}

/**
 * A person's facts as marked at each instant. The instants at which a dispute of theirs opened or
 * closed cut time into stretches; within one the marks are the same, so each stretch's facts (and
 * scoring states) are built once and serve every as-of in it.
 */
class DisputeMarks {
  readonly #spans: readonly (DisputeSpan & { readonly key: string })[];
  /** Every instant a mark starts or ends, ascending. */
  readonly #cuts: readonly number[];
  readonly #facts = new Map<number, readonly ScoringFact[]>();

  constructor(spans: readonly (DisputeSpan & { readonly key: string })[]) {
    this.#spans = spans;
    const cuts = new Set<number>();
    for (const s of spans) {
      cuts.add(s.from);
      if (Number.isFinite(s.until)) cuts.add(s.until);
    }
    this.#cuts = [...cuts].sort((a, b) => a - b);
  }

  /** The stretch `asOf` falls in: how many cuts are at or before it. */
  stretch(asOf: number): number {
    let lo = 0;
    let hi = this.#cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#cuts[mid] as number) <= asOf) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `facts` with the marks of the stretch `asOf` falls in. */
  factsAt(facts: readonly ScoringFact[], asOf: number): readonly ScoringFact[] {
    const stretch = this.stretch(asOf);
    const hit = this.#facts.get(stretch);
    if (hit !== undefined) return hit;
    const held = new Set<string>();
    for (const s of this.#spans) if (s.from <= asOf && asOf < s.until) held.add(s.key);
    const marked =
      held.size === 0 ? facts : facts.map((f) => (held.has(f.key) ? { ...f, disputed: true } : f));
    this.#facts.set(stretch, marked);
    return marked;
  }
}

/**
 * Scores and explanations computed from the stored facts at the asked instant, as the CLI's
 * `score` and `explain` do, with facts under dispute marked as they stood at that instant (each
 * program decides whether they still count): a dispute opened today leaves the past as it was.
 * Nothing here writes.
 *
 * A person's facts and scoring state stay in memory until anything changes them: the cache is
 * emptied when another connection commits (`DataWatch`) or a dispute mark moves. A state holds
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
  readonly #watch: DataWatch;
  readonly #cache = new Map<string, Cached>();
  /** What each asked subject text resolved to (a subject id to itself), emptied with `#cache`. */
  readonly #resolved = new Map<string, string>();
  #cacheVersion = -1;
  #cacheDisputes = -1;

  /**
   * `watch` is SQLite's `PRAGMA data_version` on a connection that does not write facts: it moves
   * whenever ingest (in this process or any other) commits.
   */
  constructor(app: App, programs: ProgramHolder, disputes: DisputeService, watch: DataWatch) {
    this.#app = app;
    this.#programs = programs;
    this.#disputes = disputes;
    this.#watch = watch;
  }

  /** A subject id or a strong identifier (national id, passport, phone…) to the one person it names. */
  async resolveSubject(text: string): Promise<string> {
    const known = this.knownSubject(text);
    if (known !== undefined) return known;
    const v = this.#watch.read();
    const g = this.#disputes.generation;
    const subject = await findSubject(this.#app, text, 'subject').catch((e: unknown) => {
      throw withoutOthers(e, text);
    });
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
   * once per turn of the event loop (`DataWatch.turn`): a commit by another process shows on the
   * next request sent after it.
   */
  #fresh(): void {
    const v = this.#watch.turn();
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
    const entry: Cached = {
      subject,
      facts,
      consents,
      states: new Map(),
      marks: marksOf(facts, this.#disputes),
    };
    // Another commit may have landed while reading: only cache what is known to be current.
    if (this.#watch.read() === v && this.#disputes.generation === g) {
      if (this.#cache.size >= PERSON_CACHE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(subject, entry);
    }
    return entry;
  }

  async person(subject: string): Promise<PersonView> {
    return this.#entry(subject);
  }

  /** The person's facts with their dispute marks as they stood at `asOf`. */
  async factsAt(subject: string, asOf: number): Promise<readonly ScoringFact[]> {
    const p = await this.#entry(subject);
    return p.marks === undefined ? p.facts : p.marks.factsAt(p.facts, asOf);
  }

  /** Keys of the person's facts under dispute at `asOf` (none for a person never disputing). */
  async disputedAt(subject: string, asOf: number): Promise<ReadonlySet<string>> {
    return disputedOf(await this.#entry(subject), asOf);
  }

  /** `disputedAt` when the person is already in memory (no promise), else undefined. */
  disputedCached(subject: string, asOf: number): ReadonlySet<string> | undefined {
    this.#fresh();
    const p = this.#cache.get(subject);
    return p ? disputedOf(p, asOf) : undefined;
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
    const marks = p.marks;
    const key =
      marks === undefined
        ? `${rb.program}@${rb.version}`
        : `${rb.program}@${rb.version}#${marks.stretch(asOf)}`;
    let state = p.states.get(key);
    if (!state) {
      const facts = marks === undefined ? p.facts : marks.factsAt(p.facts, asOf);
      // Facts from before the person came in (before an opt-out, while out, before an opt-in)
      // never count: no rule is evaluated on them either. The instant does not depend on as-of.
      const floor = verdict.factsAfter;
      state = new PersonState(rb, floor === undefined ? facts : facts.filter((f) => f.at > floor));
      p.states.set(key, state);
    }
    return state.score(asOf, consent);
  }

  async explain(subject: string, program: string, asOf: number): Promise<Explanation> {
    const rb = this.rulebook(program, asOf);
    const p = await this.#entry(subject);
    const facts = p.marks === undefined ? p.facts : p.marks.factsAt(p.facts, asOf);
    return explainPerson(rb, facts, asOf, p.consents.get(program) ?? []);
  }
}

const NONE: ReadonlySet<string> = new Set();

function disputedOf(p: Cached, asOf: number): ReadonlySet<string> {
  if (p.marks === undefined) return NONE;
  const keys = new Set<string>();
  for (const f of p.marks.factsAt(p.facts, asOf)) if (f.disputed === true) keys.add(f.key);
  return keys;
}

/** When the person's facts were under dispute, or undefined when none of them ever was. */
function marksOf(facts: readonly ScoringFact[], disputes: DisputeService): DisputeMarks | undefined {
  const spans = disputes.spans();
  if (spans.size === 0) return undefined;
  const mine: (DisputeSpan & { key: string })[] = [];
  for (const f of facts) {
    for (const s of spans.get(f.key) ?? []) {
      // A closed dispute with no recorded resolution marks nothing (`disputeHeldAt`).
      if (s.from < s.until) mine.push({ id: s.id, from: s.from, until: s.until, key: f.key });
    }
  }
  return mine.length === 0 ? undefined : new DisputeMarks(mine);
}

/**
 * An id or identifier that names no one person, refused over the API without naming anyone but
 * what was asked: the store's words for an id merged into a person split since name the survivor
 * and the people split off, ids a relying party (or a person locked out by their old id) must not
 * learn. The operator's CLI keeps those words. The people it may name ride on the error
 * (`subjects`), for the refusal to be logged under each (server.ts).
 */
function withoutOthers(e: unknown, text: string): unknown {
  if (!isCredenceError(e) || e.code !== 'CREDENCE_E_SUBJECT_AMBIGUOUS') return e;
  const subjects = (e as { subjects?: unknown }).subjects;
  if (!Array.isArray(subjects)) return e;
  return Object.assign(
    new CredenceError(
      'CREDENCE_E_SUBJECT_AMBIGUOUS',
      `"${text}" names no one person now (it is held by ${subjects.length} people, or the person it named was split since); use the subject id of the one meant`,
      { field: 'subject' },
    ),
    { subjects },
  );
}
