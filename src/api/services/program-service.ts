import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { App } from '../../app.js';
import { type ComparisonReport, comparisonReport } from '../../core/compare/index.js';
import type { ErrorDetail } from '../../core/errors/index.js';
import { CredenceError } from '../../core/errors/index.js';
import {
  type CompiledRulebook,
  checkSharedEvents,
  compileRulebook,
  refuseRulebook,
  StoredFactsCheck,
} from '../../core/rulebook/index.js';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { toScoringFact } from '../../ingest/person-cache.js';
import { comparedVersion, comparePrograms } from '../../ingest/program-compare.js';
import { refusedReasons, type WithheldProgram } from '../../ingest/program-set.js';
import { rebuildDerived } from '../../ingest/rebuild.js';
import { disputedFactsIn } from '../../store/sqlite/sqlite-source-facts.js';
import type { StoredRulebook } from '../../store/store.js';
import type { IngestService } from './ingest-service.js';
import type { ProgramHolder } from './program-holder.js';
import { type VersionStatus, versionStatuses } from './program-versions.js';

export interface Draft {
  readonly id: string;
  readonly program: string;
  readonly name: string;
  readonly loadedAt: number;
  /** The version it became when activated, else null. */
  readonly version: number | null;
}

interface DraftRow {
  id: string;
  program: string;
  name: string;
  yaml: string;
  loaded_at: number;
  version: number | null;
}

/**
 * Programs and their rulebook versions: validate (compile, every error at once), load (kept as a
 * draft, not yet scoring anyone), activate (added as the program's next version, its ledgers
 * re-derived, the server switched to it) — `credence program load` does load and activate at once.
 *
 * @example
 * const d = await programs.load(yaml, Date.now()); await programs.activate(d.id, Date.now());
 */
export class ProgramService {
  readonly #app: App;
  readonly #holder: ProgramHolder;
  readonly #ingest: IngestService;
  readonly #db: Database.Database;

  constructor(app: App, holder: ProgramHolder, ingest: IngestService, db: Database.Database) {
    this.#app = app;
    this.#holder = holder;
    this.#ingest = ingest;
    this.#db = db;
  }

  /**
   * Each program with its versions and, at `now`, the version in force (`inForce`; `active` says
   * the same) — the one a score asked at `now` is computed under, not the latest loaded: a version
   * whose `effectiveFrom` is still to come is `scheduled` and scores nobody until then.
   */
  async list(now: number): Promise<
    {
      program: string;
      name: string;
      inForce: number;
      active: number;
      versions: {
        version: number;
        effectiveFrom: number;
        loadedAt: number;
        status: VersionStatus;
        refused?: string;
      }[];
    }[]
  > {
    const all = await this.#app.store.allRulebooks();
    // A version refused when compiled (the hard line, or a check of this build) withholds its
    // program (ProgramSet.withheld): said beside it, as `credence program list` says it, since "in-force" alone would read as scoring.
    const withheld = this.#holder.current.withheld;
    const byProgram = new Map<string, typeof all>();
    for (const r of all) byProgram.set(r.program, [...(byProgram.get(r.program) ?? []), r]);
    return [...byProgram.entries()].map(([program, versions]) => {
      const { inForce, statuses } = versionStatuses(versions, now);
      const current = versions.find((v) => v.version === inForce);
      return {
        program,
        name: current?.name ?? program,
        inForce: inForce ?? 0,
        active: inForce ?? 0,
        versions: versions.map((v) => ({
          version: v.version,
          effectiveFrom: v.effectiveFrom,
          loadedAt: v.loadedAt,
          status: statuses.get(v.version) ?? 'superseded',
          ...(withheld.get(program)?.version === v.version
            ? {
                refused: refusedReasons(withheld.get(program) as WithheldProgram),
              }
            : {}),
        })),
      };
    });
  }

  /**
   * Compiles a rulebook and checks it beside the loaded programs (a shared event type's fields);
   * throws CREDENCE_E_RULEBOOK_* with every problem in `details`.
   */
  async validate(yaml: string): Promise<{ program: string; name: string; rules: number; events: number }> {
    const rb = compileRulebook(yaml, { file: 'rulebook' });
    checkSharedEvents(yaml, 'rulebook', rb, this.#holder.current.activeExcept(rb.program));
    const stored = await this.#storedFactsProblems(rb);
    if (stored.length > 0) refuseRulebook(yaml, 'rulebook', stored);
    return {
      program: rb.program,
      name: rb.name,
      rules: rb.rules.length,
      events: Object.keys(rb.events).length,
    };
  }

  /**
   * Stores a rulebook as a draft. `within` runs in the transaction that stores it (a retry's
   * record, `IdempotentWrites`): when it throws, no draft is stored.
   */
  async load(yaml: string, now: number, within?: (draft: Draft) => void): Promise<Draft> {
    // Refused now rather than at activation when it could never be activated as things stand.
    const v = await this.validate(yaml);
    const row: DraftRow = {
      id: randomUUID(),
      program: v.program,
      name: v.name,
      yaml,
      loaded_at: now,
      version: null,
    };
    const draft = toDraft(row);
    const insert = this.#db.prepare(
      'INSERT INTO api_rulebook_drafts (id, program, name, yaml, loaded_at, version) VALUES (@id, @program, @name, @yaml, @loaded_at, @version)',
    );
    this.#db.transaction(() => {
      insert.run(row);
      within?.(draft);
    })();
    return draft;
  }

  drafts(): Draft[] {
    return (
      this.#db.prepare('SELECT * FROM api_rulebook_drafts ORDER BY loaded_at, id').all() as DraftRow[]
    ).map(toDraft);
  }

  /** Makes a draft the program's next version; ingest waits meanwhile, so no fact sees half a switch. */
  activate(draftId: string, now: number): Promise<Draft & { rebuiltPeople: number; unchanged: boolean }> {
    return this.#ingest.exclusive(async () => {
      const row = this.#db.prepare('SELECT * FROM api_rulebook_drafts WHERE id = ?').get(draftId) as
        | DraftRow
        | undefined;
      if (!row)
        throw new CredenceError('CREDENCE_E_NOT_FOUND', `no rulebook draft "${draftId}"`, {
          field: 'draftId',
        });
      if (row.version !== null) {
        throw new CredenceError(
          'CREDENCE_E_STATE',
          `draft ${draftId} is already ${row.program} v${row.version}`,
          {
            field: 'draftId',
          },
        );
      }
      // The text of the program's latest version again: a re-load adds no version and re-derives
      // nothing (as `credence program load` of the same file); the draft names that version.
      const latest = (await this.#app.store.allRulebooks())
        .filter((r) => r.program === row.program)
        .reduce<StoredRulebook | undefined>((a, r) => (a && a.version > r.version ? a : r), undefined);
      if (latest && latest.yaml === row.yaml) {
        this.#db
          .prepare('UPDATE api_rulebook_drafts SET version = ? WHERE id = ?')
          .run(latest.version, draftId);
        return { ...toDraft({ ...row, version: latest.version }), rebuiltPeople: 0, unchanged: true };
      }
      const rb = compileRulebook(row.yaml, { file: `draft ${draftId}` });
      // Programs loaded since the draft was may clash with it: a fact of a shared event type
      // feeds every program declaring it, so no field may be declared two ways. Not the program's
      // own versions: one the hard line now refuses must stay replaceable.
      checkSharedEvents(row.yaml, `draft ${draftId}`, rb, this.#holder.current.activeExcept(rb.program));
      // Activating re-derives the program's ledgers from the stored facts (facts may have come
      // since the draft was loaded): every rule must be able to read them, checked before storing.
      const stored = await this.#storedFactsProblems(rb);
      if (stored.length > 0) refuseRulebook(row.yaml, `draft ${draftId}`, stored);
      const version = await this.#app.store.addRulebook({
        program: rb.program,
        name: rb.name,
        yaml: row.yaml,
        effectiveFrom: rb.effectiveFrom,
        loadedAt: now,
      });
      this.#db.prepare('UPDATE api_rulebook_drafts SET version = ? WHERE id = ?').run(version, draftId);
      await this.#holder.reload(this.#app);
      const rebuilt = await rebuildDerived(this.#app.store, this.#holder.current, { program: rb.program });
      return { ...toDraft({ ...row, version }), rebuiltPeople: rebuilt.people, unchanged: false };
    });
  }

  /**
   * A draft scored beside the version in force at `asOf` (or `against`), for everyone in the
   * program, nothing stored (`credence program compare` for a file). Between pages of people the
   * server answers other requests: a comparison over a large population takes a while.
   */
  async compare(
    draftId: string,
    o: { readonly asOf: number; readonly against?: number; readonly largest: number; readonly now: number },
  ): Promise<ComparisonReport> {
    const row = this.#db.prepare('SELECT * FROM api_rulebook_drafts WHERE id = ?').get(draftId) as
      | DraftRow
      | undefined;
    if (!row)
      throw new CredenceError('CREDENCE_E_NOT_FOUND', `no rulebook draft "${draftId}"`, { field: 'draftId' });
    const file = `draft ${draftId}`;
    const candidate = compileRulebook(row.yaml, { file });
    const programs = this.#holder.current;
    const baseline = comparedVersion(
      await this.#app.store.allRulebooks(),
      programs,
      candidate.program,
      o.asOf,
      o.against,
      {
        against: 'against',
        asOf: 'asOf',
      },
    );
    checkSharedEvents(row.yaml, file, candidate, programs.active);
    const { comparison, problems } = await comparePrograms(this.#app.store, {
      baseline,
      candidate,
      asOf: o.asOf,
      disputed: disputedFactsIn(this.#db, o.asOf),
      largest: o.largest,
      between: () => new Promise<void>((resolve) => setImmediate(resolve)),
    });
    if (problems.length > 0) refuseRulebook(row.yaml, file, problems);
    return comparisonReport(comparison, {
      program: candidate.program,
      asOf: o.asOf,
      projection: o.asOf > o.now,
      enrollment: { baseline: baseline.enrollment, candidate: candidate.enrollment },
      baseline: { version: baseline.version, name: baseline.name },
      candidate: { draft: draftId, name: candidate.name, effectiveFrom: candidate.effectiveFrom },
    });
  }

  /** What a rulebook's rules cannot evaluate among the stored facts of its event types. */
  async #storedFactsProblems(rb: CompiledRulebook): Promise<ErrorDetail[]> {
    const check = new StoredFactsCheck(rb);
    const store = this.#app.store;
    for (let after = ''; ; ) {
      const page = await store.subjectsPage(after, 500);
      if (page.length === 0) break;
      after = page.at(-1) as string;
      for (const facts of (await store.personFacts(page)).values())
        for (const f of facts)
          if (CONSENT_TYPES[f.type] === undefined && rb.events[f.type]) check.add(toScoringFact(f));
    }
    return check.problems();
  }
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  program: r.program,
  name: r.name,
  loadedAt: r.loaded_at,
  version: r.version,
});
