import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { workerFileBeside } from '../../threads/worker-file.js';
import { checkConsents } from './consent-check.js';
import { type FactSeal, type FactSealReport, readFactSeal, type SealCheckpoint } from './fact-seal.js';
import {
  checkpointPoints,
  dueCheckpoints,
  foldFactSums,
  sealMissing,
  verifyFactSeal,
} from './fact-seal-verify.js';
import { checkFileIntegrity, type IntegrityReport, integrityTables } from './file-integrity.js';
import { sqliteNativeBinding } from './native-binding.js';
import { type ProgramSeal, readProgramSeal, verifyProgramSeal } from './program-seal.js';
import { hex } from './row-digest.js';
import {
  addDigests,
  type FactRangeSum,
  type KeyValue,
  type RangeSum,
  type SealTask,
  type SealTaskResult,
  SPLIT_KEY,
} from './seal-ranges.js';
import {
  hasTable,
  judgeTableSeals,
  readTableSeals,
  type SealedTable,
  type StoredSeal,
  sealedFrom,
  sealedTablesOf,
  sealOfRows,
  verifyTableSeals,
} from './table-seal.js';

function open(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { fileMustExist: true, readonly, nativeBinding: sqliteNativeBinding() });
  db.pragma('busy_timeout = 10000');
  return db;
}

/** The seals an audit entry holds as checkpoints, in its detail under these names. */
export interface Seals {
  readonly factSeal?: FactSeal;
  readonly programSeal?: ProgramSeal;
  /**
   * The file's schema version (`user_version`) beside them. The seals of later tables hold from the
   * migration that added each; a version set back in the file would leave them unchecked, and the
   * chain then says which version the file had reached.
   */
  readonly schema?: number;
}

/**
 * The seals of the database at `path` as it stands, for an audit entry to hold as checkpoints:
 * the facts' for `facts.*` actions (ingest, import, purge), the rulebooks' for `program.*`; none
 * for other actions, or for a database without seals.
 */
export function sealsFor(path: string, action: string): Seals {
  const facts = action.startsWith('facts.');
  const programs = action.startsWith('program.');
  if (!facts && !programs) return {};
  const db = open(path, true);
  try {
    if (!hasTable(db, 'seal_checkpoints')) return {};
    const factSeal = facts ? readFactSeal(db) : undefined;
    const programSeal = programs ? readProgramSeal(db) : undefined;
    if (!factSeal && !programSeal) return {};
    const schema = db.pragma('user_version', { simple: true }) as number;
    return { ...(factSeal ? { factSeal } : {}), ...(programSeal ? { programSeal } : {}), schema };
  } finally {
    db.close();
  }
}

/** Notes that audit entry `entry` holds a checkpoint of a seal, so a verify finds it without a scan. */
export function noteSealCheckpoint(path: string, entry: number): void {
  const db = open(path, false);
  try {
    if (hasTable(db, 'seal_checkpoints'))
      db.prepare('INSERT OR IGNORE INTO seal_checkpoints (entry) VALUES (?)').run(entry);
  } finally {
    db.close();
  }
}

/** `verifySealsOf`'s report: on success what was checked, else the first problem and its place. */
export type SealsReport =
  | (Extract<FactSealReport, { ok: true }> & {
      readonly consents: number;
      readonly rulebooks: number;
      /**
       * Rows of the other sealed tables: the derived ledger and cached scores, and the
       * identifiers (absent from a file not yet upgraded to seal them).
       */
      readonly derived: Readonly<Partial<Record<SealedTable, number>>>;
      /** Tables whose pages and indexes SQLite's own check found whole (`checkFileIntegrity`). */
      readonly tablesChecked: number;
    })
  | (Extract<FactSealReport, { ok: false }> & { readonly facts?: number });

/** How `verifySealsOf` reads the rows. */
export interface VerifySealsOptions {
  /**
   * Threads to sum the rows on: by default one per core, up to four, once the sealed tables hold
   * 200,000 rows or more (a verify of a database of ten million facts read them on one thread in
   * about 90 s); else, or with 1, this thread, in one read transaction.
   */
  readonly workers?: number;
}

const PARALLEL_FROM_ROWS = 200_000;

/**
 * Checks the database at `path` beyond its audit log (run after the chain itself is verified, so
 * the checkpoints it holds can be trusted): the facts against their seal and the checkpoints
 * (`foldFactSums`), the consent rows against the consent facts (`checkConsents`), the rulebook
 * versions against theirs (`verifyProgramSeal`), the ledger and cached scores against theirs
 * (`judgeTableSeals`). Undefined for a database without seals (an older one, before `credence
 * init` upgrades it). Problems are named in that order, the first found.
 */
export async function verifySealsOf(
  path: string,
  opts: VerifySealsOptions = {},
): Promise<SealsReport | undefined> {
  const db = open(path, true);
  try {
    if (!hasTable(db, 'seal_checkpoints')) return undefined;
    const file = workerFileBeside(import.meta.url, 'seal-verify-worker.js');
    const workers = opts.workers ?? (sealedRows(db) >= PARALLEL_FROM_ROWS ? defaultWorkers() : 1);
    if (workers <= 1 || file === undefined) return db.transaction(() => verifyOnThisThread(db))();
    return await verifyOnWorkers(db, path, file, workers);
  } finally {
    db.close();
  }
}

const defaultWorkers = (): number => Math.min(4, Math.max(1, availableParallelism()));

/** The rows the seals say the sealed tables hold (0 for a seal missing: the check finds it). */
function sealedRows(db: Database.Database): number {
  const tables = readTableSeals(db, sealedTablesOf(db));
  return Object.values(tables).reduce((n, t) => n + (t?.count ?? 0), readFactSeal(db)?.count ?? 0);
}

/** Every check in the caller's one read transaction: the rows, the seals and the checkpoints as of one moment. */
function verifyOnThisThread(db: Database.Database): SealsReport {
  const checkpoints = checkpointsIn(db);
  const setBack = schemaSetBack(db, checkpoints.schema);
  if (setBack) return setBack;
  const facts = verifyFactSeal(db, checkpoints.facts);
  if (!facts.ok) return facts;
  const consents = checkConsents(db);
  if (!consents.ok) return { ...consents, facts: facts.facts };
  const programs = verifyProgramSeal(db, checkpoints.programs);
  if (!programs.ok) return { ...programs, facts: facts.facts };
  const tables = verifyTableSeals(db);
  if (!tables.ok) return { ...tables, facts: facts.facts };
  const pages = checkFileIntegrity(db, integrityTables(db));
  if (!pages.ok) return { ...pages, facts: facts.facts };
  return {
    ...facts,
    consents: consents.consents,
    rulebooks: programs.versions,
    derived: tables.rows,
    tablesChecked: pages.tables,
  };
}

/**
 * The same checks with the sealed tables' rows summed on worker threads, each over its key range
 * of each table on a connection of its own. The seals, checkpoints and small checks are read in
 * one transaction first; the workers read later, so the seals are read again after them: rows a
 * live server appends meanwhile lie past the facts' range and are not read, but a purge since (it
 * renumbers the seal's epoch) or any write of the ledger or scores (it changes their seal) has the
 * table concerned checked again on this thread, in one transaction.
 */
async function verifyOnWorkers(
  db: Database.Database,
  path: string,
  file: string,
  workers: number,
): Promise<SealsReport> {
  const snap = db.transaction(() => {
    const checkpoints = checkpointsIn(db);
    const setBack = schemaSetBack(db, checkpoints.schema);
    const stored = readFactSeal(db);
    const facts = (db.prepare('SELECT count(*) FROM facts').pluck().get() as number) ?? 0;
    const seqs = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM facts').get() as {
      lo: number | null;
      hi: number | null;
    };
    const tables = readTableSeals(db, sealedTablesOf(db));
    // Each table's cuts at its workers-quantiles of its split key, from the rows it is sealed
    // with (the subjects' ids for the tables split by subject: fewer rows to step over).
    const cuts = {} as Record<SealedTable, (KeyValue[] | undefined)[]>;
    for (const t of Object.keys(tables) as SealedTable[]) {
      const key = SPLIT_KEY[t];
      if (key.length === 1 && key[0] === 'seq') {
        // Split by seq as the facts are, at even cuts of the table's own seqs (the facts' persons
        // at the facts' cuts): no rows to step over.
        const { lo, hi } =
          sealedFrom(t) === 'facts'
            ? seqs
            : (db.prepare(`SELECT min(seq) AS lo, max(seq) AS hi FROM ${sealedFrom(t)}`).get() as {
                lo: number | null;
                hi: number | null;
              });
        cuts[t] = Array.from({ length: workers - 1 }, (_, k) =>
          lo === null || hi === null ? undefined : [lo - 1 + Math.floor(((k + 1) * (hi - lo + 1)) / workers)],
        );
        continue;
      }
      // A table that may be missing (never created in this file) is read whole by the first worker.
      if (!hasTable(db, sealedFrom(t))) {
        cuts[t] = [undefined];
        continue;
      }
      const bySubject = key.length === 1 && key[0] === 'subject';
      const rows = bySubject
        ? (db.prepare('SELECT count(*) FROM subjects').pluck().get() as number)
        : (tables[t]?.count ?? 0);
      const at = bySubject
        ? db.prepare('SELECT id FROM subjects ORDER BY id LIMIT 1 OFFSET ?').raw()
        : db
            .prepare(
              `SELECT ${key.join(', ')} FROM ${sealedFrom(t)} ORDER BY ${key.join(', ')} LIMIT 1 OFFSET ?`,
            )
            .raw();
      cuts[t] = Array.from(
        { length: workers - 1 },
        (_, k) => at.get(Math.floor(((k + 1) * rows) / workers)) as KeyValue[] | undefined,
      );
    }
    return {
      setBack,
      checkpoints,
      stored,
      integrity: integrityTables(db),
      facts,
      seqs,
      cuts,
      tables,
      consents: checkConsents(db),
      programs: verifyProgramSeal(db, checkpoints.programs),
    };
  })();
  if (snap.setBack) return snap.setBack;
  if (!snap.stored) return sealMissing(snap.facts);
  const stored = snap.stored;
  const due = dueCheckpoints(stored, snap.checkpoints.facts);
  const points = checkpointPoints(due);
  const { lo, hi } = snap.seqs;
  // Seq cuts: worker k sums the facts with cut[k] < seq <= cut[k + 1]; the first range is open
  // below, the last ends at the highest seq of the snapshot (and takes every checkpoint past it).
  const span = lo === null || hi === null ? 0 : hi - lo + 1;
  const seqCut = (k: number): number | undefined =>
    k === 0 || lo === null ? undefined : lo - 1 + Math.floor((k * span) / workers);
  const tasks: SealTask[][] = Array.from({ length: workers }, (_, k) => {
    const after = seqCut(k);
    const upTo = k === workers - 1 ? (hi ?? undefined) : seqCut(k + 1);
    const mine = points.filter(
      (p) => (after === undefined || p > after) && (k === workers - 1 || upTo === undefined || p <= upTo),
    );
    return [
      {
        kind: 'facts',
        ...(after !== undefined ? { after } : {}),
        ...(upTo !== undefined ? { upTo } : {}),
        points: mine,
      },
      ...(Object.keys(snap.tables) as SealedTable[]).map(
        (table): SealTask => ({
          kind: 'table',
          table,
          ...tableRange(snap.cuts[table], k, workers),
        }),
      ),
    ];
  });
  const run = <T>(workerData: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const w = new Worker(file, { workerData });
      w.once('message', resolve);
      w.once('error', reject);
    });
  // SQLite's check of the pages and indexes on one more thread: the cores are shared out among
  // the threads as they go, so the sums and the check end about together.
  const [pages, results] = await Promise.all([
    run<IntegrityReport>({ path, tasks: [], integrity: snap.integrity }),
    Promise.all(tasks.map((t) => run<SealTaskResult[]>({ path, tasks: t }))),
  ]);
  const tables = Object.keys(snap.tables) as SealedTable[];
  const after = db.transaction(() => ({ fact: readFactSeal(db), tables: readTableSeals(db, tables) }))();
  const facts =
    after.fact?.epoch === stored.epoch
      ? foldFactSums(
          stored,
          snap.facts,
          due,
          results.map((r) => r[0] as FactRangeSum),
        )
      : db.transaction(() => verifyFactSeal(db, checkpointsIn(db).facts))();
  if (!facts.ok) return facts;
  if (!snap.consents.ok) return { ...snap.consents, facts: facts.facts };
  if (!snap.programs.ok) return { ...snap.programs, facts: facts.facts };
  // A worker's task 0 is its facts range, then one task per sealed table, in `tables`' order.
  const sums: Partial<Record<SealedTable, StoredSeal>> = {};
  tables.forEach((t, i) => {
    sums[t] = {
      count: results.reduce((n, r) => n + (r[i + 1] as RangeSum).count, 0),
      digest: hex(addDigests(results.map((r) => (r[i + 1] as RangeSum).digest))),
    };
  });
  // A table written since the snapshot (its seal moved: a live server's facts, points, moves) is
  // read again on this thread, in one transaction with its seal; the others are judged from the
  // workers' sums.
  const changed = tables.filter(
    (t) =>
      after.tables[t]?.count !== snap.tables[t]?.count || after.tables[t]?.digest !== snap.tables[t]?.digest,
  );
  const judged =
    changed.length === 0
      ? judgeTableSeals(snap.tables, sums)
      : db.transaction(() => {
          const fresh = readTableSeals(db, changed);
          const stored = { ...snap.tables, ...fresh };
          for (const t of changed) if (fresh[t]) sums[t] = sealOfRows(db, t);
          return judgeTableSeals(stored, sums);
        })();
  if (!judged.ok) return { ...judged, facts: facts.facts };
  if (!pages.ok) return { ...pages, facts: facts.facts };
  return {
    ...facts,
    consents: snap.consents.consents,
    rulebooks: snap.programs.versions,
    derived: judged.rows,
    tablesChecked: pages.tables,
  };
}

/**
 * Worker k's range of a table cut at `cuts` (the first open below, the last above). A table with
 * no rows to cut at (empty when the cuts were read) is read whole by the first worker only.
 */
function tableRange(
  cuts: readonly (readonly KeyValue[] | undefined)[] | undefined,
  k: number,
  workers: number,
): { after?: readonly KeyValue[]; upTo?: readonly KeyValue[]; none?: true } {
  if (cuts === undefined || cuts.some((c) => c === undefined)) return k === 0 ? {} : { none: true };
  const after = k === 0 ? undefined : cuts[k - 1];
  const upTo = k === workers - 1 ? undefined : cuts[k];
  return { ...(after !== undefined ? { after } : {}), ...(upTo !== undefined ? { upTo } : {}) };
}

/**
 * The checkpoints the audit chain holds, found through `seal_checkpoints`: every one of the facts'
 * seal, and the last one of the rulebooks'.
 */
function checkpointsIn(db: Database.Database): {
  facts: SealCheckpoint[];
  programs: { entry: number; seal: ProgramSeal } | undefined;
  schema: { entry: number; version: number } | undefined;
} {
  const facts: SealCheckpoint[] = [];
  let programs: { entry: number; seal: ProgramSeal } | undefined;
  let schema: { entry: number; version: number } | undefined;
  if (!hasTable(db, 'audit_log')) return { facts, programs, schema };
  const rows = db
    .prepare(
      `SELECT a.seq AS entry, a.action, json_extract(a.detail, '$.factSeal') AS fact,
              json_extract(a.detail, '$.programSeal') AS program, json_extract(a.detail, '$.schema') AS version
       FROM seal_checkpoints c JOIN audit_log a ON a.seq = c.entry ORDER BY a.seq`,
    )
    .all() as {
    entry: number;
    action: string;
    fact: string | null;
    program: string | null;
    version: unknown;
  }[];
  for (const r of rows) {
    if (typeof r.version === 'number' && r.version > (schema?.version ?? 0))
      schema = { entry: r.entry, version: r.version };
    const fact = r.fact === null ? undefined : (JSON.parse(r.fact) as Partial<FactSeal>);
    if (isFactSeal(fact)) facts.push({ entry: r.entry, action: r.action, seal: fact });
    const program = r.program === null ? undefined : (JSON.parse(r.program) as Partial<ProgramSeal>);
    if (typeof program?.count === 'number' && typeof program.digest === 'string')
      programs = { entry: r.entry, seal: program as ProgramSeal };
  }
  return { facts, programs, schema };
}

/**
 * A file whose schema version is below one the chain recorded was set back by hand: the seals its
 * later migrations added would go unchecked (and `credence init` would seal those tables afresh
 * from whatever rows an editor left). Named at the entry that recorded the higher version.
 */
function schemaSetBack(
  db: Database.Database,
  recorded: { entry: number; version: number } | undefined,
): Extract<SealsReport, { ok: false }> | undefined {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (!recorded || recorded.version <= version) return undefined;
  return {
    ok: false,
    facts: db.prepare('SELECT count(*) FROM facts').pluck().get() as number,
    path: `audit_log[seq=${recorded.entry}]`,
    reason: `entry ${recorded.entry} recorded the file at schema version ${recorded.version}, but the file says ${version}: its version was set back outside Credence, which would leave the seals added since unchecked`,
  };
}

function isFactSeal(s: Partial<FactSeal> | undefined): s is FactSeal {
  return (
    s !== undefined &&
    typeof s.epoch === 'number' &&
    typeof s.through === 'number' &&
    typeof s.count === 'number' &&
    typeof s.digest === 'string'
  );
}
