import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface WalCheckpointer {
  /** Stops the worker (its connection closes); the next opener of the file checkpoints the rest. */
  stop(): Promise<void>;
}

/** WAL frames (pages) past which the worker has the WAL started over: ~32 MB at 4 KiB pages. */
export const RESTART_FRAMES = 8192;

/**
 * Moves WAL checkpoints of `db`'s file off the event loop: `db` stops checkpointing on commit
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs a PASSIVE
 * checkpoint every `everyMs`. With the audit log appending on every answered request, the
 * automatic checkpoint (copying ~4 MB and an fsync every 1,000 pages) stalled every request in
 * flight: measured p99 16–19 ms with it on the event loop, 10–11 ms without, same run.
 *
 * The PASSIVE pass alone let the WAL grow without end under steady load (390 MB in 40 s of
 * score queries): SQLite starts the WAL over only when a write begins after a checkpoint has
 * copied every frame, and the server commits while each pass runs, so none ever completes. Once
 * a pass leaves `restartFrames` or more in the WAL, the worker follows it with a RESTART
 * checkpoint: the frames left are those committed during the pass, so the server's writes wait
 * for a short copy and two syncs (a few ms, once every restartFrames pages), and the next commit
 * writes the WAL from its start, over the same file (`journal_size_limit` cuts a file that grew
 * past twice that back).
 * Returns undefined (and leaves `db` as it was) for a memory database, or when the worker's
 * compiled file is not there (tests running the TypeScript sources).
 *
 * @example
 * const cp = startWalCheckpointer(db, 'credence.db'); … await cp?.stop();
 */
export function startWalCheckpointer(
  db: Database.Database,
  path: string,
  everyMs = 250,
  restartFrames = RESTART_FRAMES,
): WalCheckpointer | undefined {
  const file = new URL('./checkpoint-worker.js', import.meta.url);
  if (path === ':memory:' || !existsSync(fileURLToPath(file))) return undefined;
  const worker = new Worker(file, { workerData: { path, everyMs, restartFrames } });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`journal_size_limit = ${2 * restartFrames * pageSize}`);
  // Should the worker die, commits checkpoint themselves again rather than grow the WAL forever.
  const fallback = (): void => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('error', fallback);
  worker.once('exit', fallback);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
