import type Database from 'better-sqlite3';
import type { App } from '../../app.js';
import { loadPerson } from '../../app.js';
import type { CompiledRulebook } from '../../core/rulebook/types.js';
import { scorePerson } from '../../core/scoring/index.js';
import { type ListedPerson, ScreenIndex, type ScreenQuery, type ScreenResult } from '../../screen/index.js';
import type { StoredFact } from '../../store/store.js';
import type { DataWatch } from './data-watch.js';
import type { ProgramHolder } from './program-holder.js';
import { type ChangeMark, ScreenChanges } from './screen-changes.js';

/** Without a view of the facts' changes (another file): rebuilt on a write at most this often. */
const REBUILD_MS = 60_000;
/** Subjects read from the store at a time. */
const PAGE = 1000;

interface Built {
  ix: ScreenIndex;
  /** `data_version` when the changes up to `mark` were read. */
  version: number;
  mark: ChangeMark | undefined;
  /** The rulebook versions in force it was built under, and the fact types that move their flags. */
  programsKey: string;
  flagTypes: ReadonlySet<string>;
  builtAt: number;
}

/**
 * Screening by name against the people who hold a flag (a court blacklist, a registry listing)
 * in some program right now. The index is built from the store: names, birth dates and IDs as the
 * furnishers wrote them, flags from the scoring engine — so an opted-out person is never listed.
 *
 * It follows what is committed, whoever commits it (this server's ingest, `credence import` in
 * another process): once `data_version` moved, the next search reads the facts appended since
 * (a range of `seq`) and the subjects whose facts were deleted or moved (`ScreenChanges`), and
 * lists each such person again from their stored facts. A search pays for what changed, not for
 * the list; the index is built whole only at start, when the rulebook versions in force change,
 * or when the changes add up to a good part of the list.
 *
 * @example
 * const r = await screen.search({ name: 'Wang Wei' }, Date.now());
 */
export class ScreenService {
  readonly #app: App;
  readonly #programs: ProgramHolder;
  readonly #watch: DataWatch;
  readonly #changes: ScreenChanges | undefined;
  #built: Built | undefined;
  /** The catch-up under way: searches meanwhile wait for it rather than start their own. */
  #pending: Promise<void> | undefined;

  constructor(app: App, programs: ProgramHolder, watch: DataWatch, db?: Database.Database) {
    this.#app = app;
    this.#programs = programs;
    this.#watch = watch;
    this.#changes = db ? ScreenChanges.open(db) : undefined;
  }

  async search(q: ScreenQuery, now: number): Promise<ScreenResult> {
    // A catch-up that started before this request may have read the changes before the commit it
    // is to see: wait for it, then look again. Never more than one more, however busy the writers.
    if (this.#pending) await this.#pending;
    if (this.#stale(now)) {
      this.#pending ??= this.#refresh(this.#built, this.#inForce(now), now).finally(() => {
        this.#pending = undefined;
      });
      await this.#pending;
    }
    return (this.#built as Built).ix.search(q);
  }

  #stale(now: number): boolean {
    const b = this.#built;
    if (!b || b.programsKey !== this.#inForce(now).key) return true;
    if (b.version === this.#watch.turn()) return false;
    return this.#changes !== undefined || now - b.builtAt > REBUILD_MS;
  }

  /** Brings the index up to what is committed now: by the changes when it can, else whole. */
  async #refresh(b: Built | undefined, programs: InForce, now: number): Promise<void> {
    const version = this.#watch.read();
    const changes = this.#changes;
    if (!b || !changes || b.mark === undefined || b.programsKey !== programs.key) {
      this.#built = await this.#build(programs, version, now);
      return;
    }
    // A new spelling of a listed person's name counts; for anyone else only a fact that can move
    // a flag: one that sets or clears it, a retraction, a consent.
    const c = changes.since(
      b.mark,
      (f) =>
        f.retracts !== null ||
        (f.type !== null && (b.flagTypes.has(f.type) || f.type.startsWith('credence.'))) ||
        b.ix.has(f.subject),
    );
    if (c.lost) {
      this.#built = await this.#build(programs, version, now);
      return;
    }
    const subjects = new Set(c.rewritten);
    for (const f of c.appended) subjects.add(f.subject);
    // Changes touching a good part of the list cost about as much as listing everyone.
    if (subjects.size > 1000 && subjects.size > b.ix.size / 2) {
      this.#built = await this.#build(programs, version, now);
      return;
    }
    const all = [...subjects];
    for (let i = 0; i < all.length; i += PAGE) {
      const page = all.slice(i, i + PAGE);
      const facts = await this.#app.store.personFacts(page);
      for (const subject of page) {
        b.ix.put(subject, await this.#listed(subject, facts.get(subject) ?? [], programs, now));
      }
    }
    const ix = b.ix.churn > Math.max(1000, b.ix.size / 8) ? b.ix.compacted() : b.ix;
    this.#built = { ...b, ix, version, mark: c.mark };
  }

  async #build(programs: InForce, version: number, now: number): Promise<Built> {
    // Marked before reading: what is committed while the list is read is read again next time.
    const mark = this.#changes?.mark();
    const out: ListedPerson[] = [];
    let after = '';
    for (;;) {
      const page = await this.#app.store.subjectsPage(after, PAGE);
      if (page.length === 0) break;
      after = page.at(-1) as string;
      const facts = await this.#app.store.personFacts(page);
      for (const subject of page) {
        const p = await this.#listed(subject, facts.get(subject) ?? [], programs, now);
        if (p) out.push(p);
      }
    }
    return {
      ix: new ScreenIndex(out),
      version,
      mark,
      programsKey: programs.key,
      flagTypes: programs.flagTypes,
      builtAt: now,
    };
  }

  /** A person as listed now, or undefined when they hold no flag (or have no name on file). */
  async #listed(
    subject: string,
    stored: readonly StoredFact[],
    programs: InForce,
    now: number,
  ): Promise<ListedPerson | undefined> {
    if (!stored.some((f) => programs.setTypes.has(f.type))) return undefined;
    const person = await loadPerson(this.#app, subject);
    const flags = new Set<string>();
    for (const rb of programs.rulebooks) {
      const o = scorePerson(rb, person.facts, now, person.consents.get(rb.program) ?? []);
      if (o.status === 'scored') for (const f of o.flags) flags.add(f);
    }
    if (flags.size === 0) return undefined;
    const names = new Set<string>();
    const ids = new Set<string>();
    let dob: string | undefined;
    let sex: 'M' | 'F' | undefined;
    for (const f of stored) {
      const s = (JSON.parse(f.body) as { subject?: Record<string, string> }).subject ?? {};
      if (s.full_name) names.add(s.full_name);
      if (s.surname && s.given_name) names.add(`${s.surname} ${s.given_name}`);
      if (s.national_id) ids.add(s.national_id);
      if (s.passport_number) ids.add(s.passport_number);
      dob ??= s.date_of_birth;
      if (s.sex === 'M' || s.sex === 'F') sex ??= s.sex;
    }
    if (names.size === 0) return undefined;
    return {
      subjectId: subject,
      names: [...names],
      flags: [...flags],
      ids: [...ids],
      ...(dob ? { dob } : {}),
      ...(sex ? { sex } : {}),
    };
  }

  /** The rulebook versions in force now (not the latest loaded: one still to come decides nothing yet). */
  #inForce(now: number): InForce {
    const set = this.#programs.current;
    const hit = this.#inForceCache;
    if (hit && hit.set === set && hit.from <= now && now < hit.until) return hit.value;
    const rulebooks = set.ids.flatMap((id) => set.at(id, now) ?? []);
    const setTypes = new Set(rulebooks.flatMap((rb) => rb.flags.map((f) => f.set)));
    const flagTypes = new Set([
      ...setTypes,
      ...rulebooks.flatMap((rb) => rb.flags.flatMap((f) => f.clear ?? [])),
    ]);
    const value: InForce = {
      rulebooks,
      setTypes,
      flagTypes,
      key: rulebooks.map((rb) => `${rb.program}@${rb.version}`).join(' '),
    };
    this.#inForceCache = { set, from: now, until: now + 1000, value };
    return value;
  }

  #inForceCache: { set: unknown; from: number; until: number; value: InForce } | undefined;
}

interface InForce {
  readonly rulebooks: readonly CompiledRulebook[];
  /** Fact types that set a flag: a person holding none is not listed. */
  readonly setTypes: ReadonlySet<string>;
  /** Fact types that set or clear a flag. */
  readonly flagTypes: ReadonlySet<string>;
  readonly key: string;
}
