import type { App } from '../../app.js';
import { loadPerson } from '../../app.js';
import { scorePerson } from '../../core/scoring/index.js';
import { type ListedPerson, ScreenIndex, type ScreenQuery, type ScreenResult } from '../../screen/index.js';
import type { DataWatch } from './data-watch.js';
import type { ProgramHolder } from './program-holder.js';

/** An index older than this is rebuilt on the next search if any fact was written since. */
const REBUILD_MS = 60_000;

/**
 * Screening by name against the people who hold a flag (a court blacklist, a registry listing)
 * in some program right now. The index is built from the store: names, birth dates and IDs as the
 * furnishers wrote them, flags from the scoring engine — so an opted-out person is never listed.
 *
 * @example
 * const r = await screen.search({ name: 'Wang Wei' }, Date.now());
 */
export class ScreenService {
  readonly #app: App;
  readonly #programs: ProgramHolder;
  readonly #watch: DataWatch;
  #index: { ix: ScreenIndex; version: number; builtAt: number } | undefined;

  constructor(app: App, programs: ProgramHolder, watch: DataWatch) {
    this.#app = app;
    this.#programs = programs;
    this.#watch = watch;
  }

  async search(q: ScreenQuery, now: number): Promise<ScreenResult> {
    const v = this.#watch.read();
    const ix = this.#index;
    if (!ix || (ix.version !== v && now - ix.builtAt > REBUILD_MS)) {
      this.#index = { ix: new ScreenIndex(await this.#listed(now)), version: v, builtAt: now };
    }
    return (this.#index as { ix: ScreenIndex }).ix.search(q);
  }

  async #listed(now: number): Promise<ListedPerson[]> {
    // The flags people hold now: each program's version in force now, not its latest loaded one
    // (a version whose effectiveFrom is still to come decides nothing yet).
    const set = this.#programs.current;
    const programs = set.ids.flatMap((id) => set.at(id, now) ?? []);
    const flagTypes = new Set(programs.flatMap((rb) => rb.flags.map((f) => f.set)));
    const out: ListedPerson[] = [];
    let after = '';
    for (;;) {
      const page = await this.#app.store.subjectsPage(after, 1000);
      if (page.length === 0) break;
      after = page.at(-1) as string;
      const facts = await this.#app.store.personFacts(page);
      for (const subject of page) {
        const stored = facts.get(subject) ?? [];
        if (!stored.some((f) => flagTypes.has(f.type))) continue;
        const person = await loadPerson(this.#app, subject);
        const flags = new Set<string>();
        for (const rb of programs) {
          const o = scorePerson(rb, person.facts, now, person.consents.get(rb.program) ?? []);
          if (o.status === 'scored') for (const f of o.flags) flags.add(f);
        }
        if (flags.size === 0) continue;
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
        if (names.size === 0) continue;
        out.push({
          subjectId: subject,
          names: [...names],
          flags: [...flags],
          ids: [...ids],
          ...(dob ? { dob } : {}),
          ...(sex ? { sex } : {}),
        });
      }
    }
    return out;
  }
}
