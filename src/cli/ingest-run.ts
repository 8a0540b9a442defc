import { closeSync, createReadStream, openSync, readSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import cliProgress from 'cli-progress';
import { ForeignWrites } from '../api/sqlite/foreign-writes.js';
import { type App, createIngest, withWriteBehind } from '../app.js';
import { CredenceError, type ErrorCode, formatDetail } from '../core/errors/index.js';
import { type LineChunk, openJsonLines, type SourceLine } from '../ingest/jsonl-reader.js';
import { NO_COUNTS } from '../ingest/no-counts.js';
import type { IngestCounts, IngestListener } from '../ingest/pipeline.js';
import { ProgramSet } from '../ingest/program-set.js';
import { utf16Head } from '../ingest/utf16-head.js';
import { sqliteNativeBinding } from '../store/sqlite/native-binding.js';
import { auditAbandoned, auditFailed, auditStart, auditWrite } from './cli-audit.js';
import { graver } from './failure.js';
import { keepHeapUnder } from './heap.js';
import { warnWithheld } from './withheld-warning.js';
import { claimWriter } from './writer-lock.js';

// Past this many, refusals are only counted on stderr (all of them still go to --rejects).
const MAX_PRINTED = 200;
// Heap size past which a full collection runs between batches (see heap.ts). At 512 the 10 M-line
// stream peaked at 1.05 GB of RSS (session 17): V8 kept about 600 MB committed for a heap
// collected at 518 MB with 200–260 MB live, beside SQLite's page caches. At 384 the collections
// come about twice as often on a large file (each a few hundred ms, ~2 % of its time) and none on
// a small one, whose heap stays under it.
const HEAP_CEILING_MB = 384;
// Lines per batch when --batch-size is not given (the pipeline's own default).
const DEFAULT_BATCH = 5000;

export interface IngestRunOptions {
  readonly inputs: readonly string[];
  readonly rejects?: string;
  readonly batchSize?: number;
  /** Identity records held in memory at most (`IdentityResolverOptions.maxRecords`). */
  readonly maxIdentityRecords?: number;
  /** A run ended at once (a second Ctrl-C) prints its counts so far as one JSON line, as `--json` prints its summary. */
  readonly json?: boolean;
  /** Show a progress bar (only ever on a terminal). */
  readonly progress?: boolean;
  /**
   * The ingest clock (default the wall clock): what a fact is judged past its retention at. The
   * demo ingests a history that ends at a fixed date, as of that date.
   */
  readonly now?: () => number;
}

export interface IngestSummary extends IngestCounts {
  readonly files: number;
  readonly interrupted: boolean;
  readonly seconds: number;
  readonly linesPerSecond: number;
  /** The code of the refused lines whose exit status is highest (`graver`), if any. */
  readonly worstCode?: ErrorCode;
}

/**
 * Ingests files (`-` for stdin) with a progress bar on a terminal, refusals on stderr and in
 * the rejects file, and Ctrl-C stopping cleanly after the batch in flight.
 */
export async function runIngest(app: App, opts: IngestRunOptions): Promise<IngestSummary> {
  let totalBytes = 0;
  for (const f of opts.inputs) {
    if (f === '-') continue;
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(f);
    } catch (e) {
      throw new CredenceError('CREDENCE_E_IO', `cannot read ${f}: ${(e as Error).message}`, { file: f });
    }
    if (st.isDirectory())
      throw new CredenceError('CREDENCE_E_IO', `cannot read ${f}: it is a directory`, { file: f });
    // Only a regular file is looked into ahead: from a pipe (`<(...)`) the bytes would be gone.
    if (st.isFile()) refuseNotJsonLines(f);
    totalBytes += st.size;
  }
  // The rejects file is opened (emptied) before anything is ingested: a path that cannot be
  // written stops the run with CREDENCE_E_IO instead of failing after the batches are stored, and
  // one that is an input or the database, under whatever name, is refused before it is emptied.
  if (opts.rejects !== undefined) refuseRejectsTarget(opts.rejects, opts.inputs, app.dbPath);
  // One ingest or import at a time: each numbers the people it creates from what it has read.
  const release = claimWriter(app.dbPath, 'ingest');
  try {
    return await ingestClaimed(app, opts, totalBytes);
  } finally {
    release();
  }
}

/**
 * What Ctrl-C or SIGTERM (a service manager, `kill`) does to a run: the first stops it after the
 * batch in flight, a second ends the process at once. The run fills in `stop` and `counts` once
 * its pipeline exists; a signal before that stops it before its first batch.
 */
interface Interrupt {
  stopped: boolean;
  stop(): void;
  /** The counts of the lines judged so far (the batch in flight among them). */
  counts(): IngestCounts;
}

async function ingestClaimed(app: App, opts: IngestRunOptions, totalBytes: number): Promise<IngestSummary> {
  // The run is logged once, not per fact: `facts.ingest.start` before the first batch is written
  // and `facts.ingest` with the counts once the last is committed (or with the error that ended it).
  const files = [...opts.inputs];
  const interrupt: Interrupt = { stopped: false, stop: () => undefined, counts: () => NO_COUNTS };
  // Set once the run's end is in the audit log: a signal then only ends the process.
  let endLogged = false;
  const onSignal = (): void => {
    if (!interrupt.stopped) {
      interrupt.stopped = true;
      interrupt.stop();
      return;
    }
    // A run stopped at once still ends its start entry, with the counts so far: the batch in
    // flight is among them, and may or may not be stored (a run again stores what is missing).
    const counts = interrupt.counts();
    if (!endLogged) auditAbandoned(app.dbPath, { action: 'facts.ingest', detail: { files, ...counts } });
    // A script reading --json's line gets one here too, not an empty output.
    if (opts.json) {
      writeSync(
        1,
        `${JSON.stringify({ files: files.length, ...counts, interrupted: true, abandoned: true })}\n`,
      );
    }
    writeSync(
      2,
      '\ninterrupted again: the batch in flight may not be stored; run the same command again to finish\n',
    );
    process.exit(130);
  };
  auditStart(app.dbPath, { action: 'facts.ingest.start', detail: { files } });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let s: IngestSummary;
    try {
      const rejectsFd = opts.rejects === undefined ? undefined : openRejects(opts.rejects);
      const started = performance.now();
      // What other processes write meanwhile (an opt-out, a purge, a merge) is told apart from
      // this run's own batches, as the server does (ForeignWrites).
      const watch = openWatch(app.dbPath);
      try {
        // Batches are written on a second thread while the next is judged (see WriteBehindStore).
        const behind = withWriteBehind(app, watch?.writes.commitFrame);
        try {
          s = await ingestFiles(
            behind?.app ?? app,
            opts,
            totalBytes,
            started,
            rejectsFd,
            watch?.writes,
            interrupt,
          );
        } finally {
          await behind?.release();
        }
      } finally {
        watch?.close();
      }
    } catch (e) {
      auditFailed(app.dbPath, { action: 'facts.ingest', detail: { files } }, e);
      endLogged = true;
      throw e;
    }
    // The counts and whether it was interrupted; not the timings.
    const { files: _n, seconds: _s, linesPerSecond: _r, worstCode: _c, ...counts } = s;
    auditWrite(
      app.dbPath,
      { action: 'facts.ingest', detail: { files, ...counts } },
      'the facts were ingested',
    );
    endLogged = true;
    return s;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Refuses a file that starts with a UTF-16 byte order mark (what Windows PowerShell 5 writes for
 * `>`, and Notepad's "Unicode"): read as UTF-8 each of its lines would be refused for NUL bytes
 * between the letters, with a JSON message that does not say why. Refuses a SQLite database too
 * (`credence ingest my.db`, the database typed where the facts go): thousands of lines refused
 * as not UTF-8, each logged, would say nothing of the slip.
 */
function refuseNotJsonLines(file: string): void {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  let got = 0;
  try {
    fd = openSync(file, 'r');
    got = readSync(fd, head, 0, head.length, 0);
    if (got < 2) return;
  } catch (e) {
    throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: ${(e as Error).message}`, { file });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const utf16 = utf16Head(head);
  if (utf16) {
    throw new CredenceError(
      'CREDENCE_E_IO',
      `cannot read ${file}: it is UTF-16 text (${utf16}), not UTF-8: save it as UTF-8 and send it again`,
      { file },
    );
  }
  if (got === head.length && head.equals(SQLITE_HEADER)) {
    throw new CredenceError(
      'CREDENCE_E_IO',
      `cannot read ${file}: it is a SQLite database, not JSON Lines (give a database with --db)`,
      { file },
    );
  }
}

/** The 16 bytes every SQLite 3 database file begins with. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The path a file is reached by, links resolved (for a file not there yet, its folder's). */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Whether two paths name one file: the same path once links are resolved, or the same inode (a hard link). */
function sameFile(a: string, b: string): boolean {
  if (canonicalPath(a) === canonicalPath(b)) return true;
  const sa = statSync(a, { bigint: true, throwIfNoEntry: false });
  const sb = statSync(b, { bigint: true, throwIfNoEntry: false });
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Refuses a `--rejects` path that is an input (emptied, it would be read as empty) or the database
 * or one of SQLite's files beside it (emptied, every stored fact would be lost), whatever name,
 * symbolic link or hard link it is given by.
 */
function refuseRejectsTarget(rejects: string, inputs: readonly string[], dbPath: string): void {
  for (const f of inputs) {
    if (f !== '-' && sameFile(rejects, f)) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `--rejects ${rejects} is the input file ${f}: it would be emptied`,
        {
          field: '--rejects',
        },
      );
    }
  }
  if (dbPath === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (sameFile(rejects, `${dbPath}${suffix}`)) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `--rejects ${rejects} is the database ${dbPath}${suffix === '' ? '' : ` (its ${suffix.slice(1)} file)`}: it would be destroyed`,
        { field: '--rejects' },
      );
    }
  }
}

function openRejects(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new CredenceError('CREDENCE_E_IO', `cannot write ${path}: ${(e as Error).message}`, {
      file: path,
      field: '--rejects',
    });
  }
}

/** A connection of its own that watches for other writers; none for a database in memory. */
function openWatch(dbPath: string): { writes: ForeignWrites; close(): void } | undefined {
  if (dbPath === ':memory:') return undefined;
  let db: Database.Database;
  try {
    db = new Database(dbPath, { fileMustExist: true, nativeBinding: sqliteNativeBinding() });
  } catch (e) {
    throw new CredenceError('CREDENCE_E_DB', `cannot open ${dbPath}: ${(e as Error).message}`, {
      file: dbPath,
    });
  }
  try {
    db.pragma('busy_timeout = 10000');
    const writes = ForeignWrites.open(db);
    return {
      writes,
      close() {
        try {
          writes.close();
          // Rows of runs that ended without removing theirs (killed), once marked by this run's
          // writes, go too: a server still running puts its row back when it next looks.
          db.prepare('DELETE FROM api_foreign_writes WHERE written = 1').run();
        } finally {
          db.close();
        }
      },
    };
  } catch (e) {
    db.close();
    throw new CredenceError('CREDENCE_E_DB', `cannot open ${dbPath}: ${(e as Error).message}`, {
      file: dbPath,
    });
  }
}

/** The lines of `chunks` regrouped into chunks of exactly `size` lines (the last may hold fewer). */
async function* batchesOf(chunks: AsyncIterable<LineChunk>, size: number): AsyncGenerator<LineChunk> {
  let lines: SourceLine[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes = chunk.bytes;
    for (const line of chunk.lines) {
      lines.push(line);
      if (lines.length === size) {
        yield { lines, bytes };
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield { lines, bytes };
}

function addCounts(a: Readonly<IngestCounts>, b: Readonly<IngestCounts>): IngestCounts {
  return {
    lines: a.lines + b.lines,
    accepted: a.accepted + b.accepted,
    duplicates: a.duplicates + b.duplicates,
    rejected: a.rejected + b.rejected,
    retractions: a.retractions + b.retractions,
    consents: a.consents + b.consents,
    subjectsCreated: a.subjectsCreated + b.subjectsCreated,
  };
}

async function ingestFiles(
  app: App,
  opts: IngestRunOptions,
  totalBytes: number,
  started: number,
  rejectsFd: number | undefined,
  writes: ForeignWrites | undefined,
  interrupt: Interrupt,
): Promise<IngestSummary> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  warnWithheld(app.programs);
  // The programs the pipeline scores with: read again with each new pipeline, since another
  // process may have loaded a version (which re-derives the ledgers stored so far).
  let current = app;
  const newPipeline = () =>
    createIngest(
      current,
      { batchSize, ...(opts.now ? { now: opts.now } : {}) },
      opts.maxIdentityRecords !== undefined ? { maxRecords: opts.maxIdentityRecords } : {},
    );
  let pipeline = newPipeline();
  // Counts of the pipelines already replaced.
  let before: IngestCounts = NO_COUNTS;
  let stopped = false;
  const rejects = rejectsFd === undefined ? undefined : new RejectsFile(rejectsFd);
  // Line numbers of the file being read that were refused: copied byte for byte once it is read.
  let refused = new Set<number>();
  let printed = 0;
  let worstCode: ErrorCode | undefined;
  const bar =
    opts.progress !== false && process.stderr.isTTY && totalBytes > 0
      ? new cliProgress.SingleBar(
          {
            format: 'ingest [{bar}] {percentage}% | {lines} lines | {rate} lines/s | eta {eta}s',
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(totalBytes, 0, { lines: 0, rate: 0 });
  let doneBytes = 0;
  interrupt.stop = () => {
    stopped = true;
    pipeline.stop();
  };
  interrupt.counts = () => addCounts(before, pipeline.counts);
  if (interrupt.stopped) interrupt.stop();
  const listener: IngestListener = {
    rejected(r) {
      worstCode = graver(worstCode, r.code);
      // Standard input cannot be read again: its refused lines are written as decoded.
      if (r.file === STDIN) rejects?.write(Buffer.from(`${r.text}\n`, 'utf8'));
      else refused.add(r.line);
      if (printed++ < MAX_PRINTED) process.stderr.write(`${bar ? '\n' : ''}${formatDetail(r)}\n`);
    },
    committed(c: Readonly<IngestCounts>, bytes: number) {
      keepHeapUnder(HEAP_CEILING_MB);
      const secs = (performance.now() - started) / 1000;
      const lines = before.lines + c.lines;
      bar?.update(doneBytes + bytes, { lines, rate: Math.round(lines / Math.max(secs, 0.001)) });
    },
  };
  try {
    for (const file of opts.inputs) {
      // The pipeline holds people (facts, consents, scoring states), the identity engine and the
      // next person number between batches. Batches are handed to it whole, so that between two of
      // them it holds no line yet to judge; when another process has written since the last batch
      // (an opt-out judged from what was read before would give the person a ledger and a cached
      // score in the program they left), the batches so far are stored and a new pipeline, which
      // reads what is stored now (the programs too), judges the rest.
      const batches = batchesOf(openJsonLines(file), batchSize)[Symbol.asyncIterator]();
      let ended = false;
      // A batch read after another process wrote, kept for the new pipeline.
      let carried: LineChunk | undefined;
      while (!ended && !stopped) {
        let foreign = false;
        const segment = async function* (): AsyncGenerator<LineChunk> {
          for (;;) {
            let batch = carried;
            carried = undefined;
            if (batch === undefined) {
              // Reading may wait (standard input): the check below comes after it.
              const next = await batches.next();
              if (next.done) {
                ended = true;
                return;
              }
              batch = next.value;
            }
            if (writes?.written()) {
              foreign = true;
              carried = batch;
              return;
            }
            yield batch;
          }
        };
        await pipeline.ingest(segment(), listener);
        if (pipeline.stopped) stopped = true;
        if (foreign && !stopped) {
          before = addCounts(before, pipeline.counts);
          writes?.clear();
          current = { ...app, programs: ProgramSet.fromStored(await app.store.allRulebooks()) };
          pipeline = newPipeline();
        }
      }
      if (rejects && refused.size > 0) await rejects.copyLines(file, refused);
      refused = new Set();
      if (file !== '-') doneBytes += statSync(file).size;
      if (stopped) break;
    }
  } finally {
    if (bar) {
      bar.update(doneBytes);
      bar.stop();
    }
    if (rejects) rejects.close();
  }
  if (printed > MAX_PRINTED) {
    process.stderr.write(
      `... and ${printed - MAX_PRINTED} more refused lines${opts.rejects ? ` (all in ${opts.rejects})` : ''}\n`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const c = addCounts(before, pipeline.counts);
  return {
    files: opts.inputs.length,
    ...c,
    interrupted: stopped,
    seconds: Math.round(seconds * 1000) / 1000,
    linesPerSecond: Math.round(c.lines / Math.max(seconds, 0.001)),
    ...(worstCode ? { worstCode } : {}),
  };
}

/** The one-line human summary of an ingest run. */
export function summaryText(s: IngestSummary): string {
  return (
    `${s.lines} lines: ${s.accepted} accepted (${s.retractions} retractions, ${s.consents} consent changes), ` +
    `${s.duplicates} duplicates, ${s.rejected} refused; ${s.subjectsCreated} new people; ` +
    `${s.seconds}s (${s.linesPerSecond} lines/s)${s.interrupted ? '; interrupted: run the same command again to finish' : ''}\n`
  );
}

/** The name the reader gives standard input (`openJsonLines('-')`). */
const STDIN = '<stdin>';

/**
 * The `--rejects` file: each refused line as the furnisher sent it, so that they can fix it and
 * send the file again. A file's refused lines are copied from the file itself, byte for byte:
 * text that was not UTF-8 (Latin-1, GBK, broken bytes) stays as it was, not turned into U+FFFD,
 * and each line keeps its own end (CRLF or LF, none on a last line that had none), a UTF-8 byte
 * order mark at the start of a file aside. A line without an end followed by a refused line of
 * a later file is ended with LF, so the two stay two lines. Standard input cannot be read again:
 * its refused lines are written as decoded, each ended with LF.
 */
class RejectsFile {
  readonly #fd: number;
  /** The last bytes written ended without a line break (a file's last line without one). */
  #open = false;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#open) writeSync(this.#fd, '\n');
    let at = 0;
    while (at < bytes.length) at += writeSync(this.#fd, bytes, at);
    this.#open = bytes[bytes.length - 1] !== 10;
  }

  /** Copies the lines numbered `lines` (from 1, as the reader numbers them) of `file`. */
  async copyLines(file: string, lines: ReadonlySet<number>): Promise<void> {
    let lineNo = 1;
    // Bytes of the line being read, from earlier pieces (only while it is a refused one).
    let pending: Buffer[] = [];
    const take = (bytes: Buffer): Buffer =>
      lineNo === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    for await (const piece of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = piece.indexOf(10); nl !== -1; nl = piece.indexOf(10, start)) {
        if (lines.has(lineNo)) {
          pending.push(piece.subarray(start, nl + 1));
          this.write(take(Buffer.concat(pending)));
        }
        pending = [];
        lineNo++;
        start = nl + 1;
      }
      if (start < piece.length && lines.has(lineNo)) pending.push(piece.subarray(start));
    }
    if (pending.length > 0) this.write(take(Buffer.concat(pending)));
  }

  close(): void {
    closeSync(this.#fd);
  }
}
