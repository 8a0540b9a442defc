// Checkpoints the WAL of one database file off the server's event loop (see wal-checkpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, everyMs, restartFrames } = workerData as {
  path: string;
  everyMs: number;
  restartFrames: number;
};
const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
/**
 * RESTART holds new writes from the moment it has the write lock until every reader has left the
 * WAL: with the usual busy timeout, a reader in a long transaction (an audit verify, an export)
 * would have held the server's commits a second at every attempt. With 2 ms it gives up instead
 * (SQLITE_BUSY), and the next tick tries again.
 */
function restart(): void {
  db.pragma('busy_timeout = 2');
  try {
    db.pragma('wal_checkpoint(RESTART)');
  } finally {
    db.pragma('busy_timeout = 1000');
  }
}

const timer = setInterval(() => {
  try {
    // PASSIVE: copies what no reader still needs, never waits for readers or blocks writers.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    // A long WAL was never started over (see wal-checkpointer.ts): finish with RESTART, which
    // waits for the writer, holds new writes while it copies the frames the PASSIVE pass left
    // (those committed meanwhile), so that the next commit writes the WAL from its start.
    if (r && r.log >= restartFrames) restart();
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
