// Checkpoints the WAL of one database file off the server's event loop (see wal-checkpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, everyMs } = workerData as { path: string; everyMs: number };
const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    // PASSIVE: copies what no reader still needs, never waits for readers or blocks writers.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy moment: the next tick tries again.
  }
}, everyMs);
parentPort?.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
