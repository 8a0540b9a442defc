import { createWriteStream, openSync, realpathSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { type App, createIngest, withWriteBehind } from '../app.js';
import { CredenceError, type ErrorCode, formatDetail } from '../core/errors/index.js';
import { openJsonLines } from '../ingest/jsonl-reader.js';
import type { IngestCounts } from '../ingest/pipeline.js';
import { auditFailed, auditStart, auditWrite } from './cli-audit.js';
import { keepHeapUnder } from './heap.js';

// Past this many, refusals are only counted on stderr (all of them still go to --rejects).
const MAX_PRINTED = 200;
// Heap size past which a full collection runs between batches (see heap.ts).
const HEAP_CEILING_MB = 512;

export interface IngestRunOptions {
  readonly inputs: readonly string[];
  readonly rejects?: string;
  readonly batchSize?: number;
  /** Identity records held in memory at most (`IdentityResolverOptions.maxRecords`). */
  readonly maxIdentityRecords?: number;
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
  /** The code of the first refused line, if any. */
  readonly firstCode?: ErrorCode;
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
    totalBytes += st.size;
  }
  // The rejects file is opened (emptied) before anything is ingested: a path that cannot be
  // written stops the run with CREDENCE_E_IO instead of failing after the batches are stored, and
  // one that is an input or the database, under whatever name, is refused before it is emptied.
  if (opts.rejects !== undefined) refuseRejectsTarget(opts.rejects, opts.inputs, app.dbPath);
  // The run is logged once, not per fact: `facts.ingest.start` before the first batch is written
  // and `facts.ingest` with the counts once the last is committed (or with the error that ended it).
  const files = [...opts.inputs];
  auditStart(app.dbPath, { action: 'facts.ingest.start', detail: { files } });
  let s: IngestSummary;
  try {
    const rejectsFd = opts.rejects === undefined ? undefined : openRejects(opts.rejects);
    const started = performance.now();
    // Batches are written on a second thread while the next is judged (see WriteBehindStore).
    const behind = withWriteBehind(app);
    try {
      s = await ingestFiles(behind?.app ?? app, opts, totalBytes, started, rejectsFd);
    } finally {
      await behind?.release();
    }
  } catch (e) {
    auditFailed(app.dbPath, { action: 'facts.ingest', detail: { files } }, e);
    throw e;
  }
  // The counts and whether it was interrupted; not the timings.
  const { files: _n, seconds: _s, linesPerSecond: _r, firstCode: _c, ...counts } = s;
  auditWrite(app.dbPath, { action: 'facts.ingest', detail: { files, ...counts } }, 'the facts were ingested');
  return s;
}

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

async function ingestFiles(
  app: App,
  opts: IngestRunOptions,
  totalBytes: number,
  started: number,
  rejectsFd: number | undefined,
): Promise<IngestSummary> {
  const pipeline = createIngest(
    app,
    { ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.now ? { now: opts.now } : {}) },
    opts.maxIdentityRecords !== undefined ? { maxRecords: opts.maxIdentityRecords } : {},
  );
  const rejects: WriteStream | undefined =
    rejectsFd === undefined ? undefined : createWriteStream('', { fd: rejectsFd });
  let printed = 0;
  let firstCode: ErrorCode | undefined;
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
  const onSigint = (): void => {
    if (pipeline.stopped) process.exit(130);
    pipeline.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    for (const file of opts.inputs) {
      await pipeline.ingest(openJsonLines(file), {
        rejected(r) {
          firstCode ??= r.code;
          rejects?.write(`${r.text}\n`);
          if (printed++ < MAX_PRINTED) process.stderr.write(`${bar ? '\n' : ''}${formatDetail(r)}\n`);
        },
        committed(c: Readonly<IngestCounts>, bytes: number) {
          keepHeapUnder(HEAP_CEILING_MB);
          const secs = (performance.now() - started) / 1000;
          bar?.update(doneBytes + bytes, {
            lines: c.lines,
            rate: Math.round(c.lines / Math.max(secs, 0.001)),
          });
        },
      });
      if (file !== '-') doneBytes += statSync(file).size;
      if (pipeline.stopped) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    if (bar) {
      bar.update(doneBytes);
      bar.stop();
    }
    if (rejects) await new Promise<void>((resolve) => rejects.end(resolve));
  }
  if (printed > MAX_PRINTED) {
    process.stderr.write(
      `... and ${printed - MAX_PRINTED} more refused lines${opts.rejects ? ` (all in ${opts.rejects})` : ''}\n`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const c = pipeline.counts;
  return {
    files: opts.inputs.length,
    ...c,
    interrupted: pipeline.stopped,
    seconds: Math.round(seconds * 1000) / 1000,
    linesPerSecond: Math.round(c.lines / Math.max(seconds, 0.001)),
    ...(firstCode ? { firstCode } : {}),
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
