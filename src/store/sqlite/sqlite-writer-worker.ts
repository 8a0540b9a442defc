/**
 * The write-behind worker: its own connection to the database file, applying commit batches in
 * the order they arrive, each in one transaction, while the main thread judges the next batch.
 * Replies `{ id, receipt }` or `{ id, error }`; a `{ close: true }` message closes the
 * connection and ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from '../../core/errors/index.js';
import type { CommitBatch } from '../store.js';
import { type CommitFrame, openSqliteStore } from './sqlite-store.js';

type Message = { id: number; batch: CommitBatch } | { close: true };

const port = parentPort;
if (!port) throw new Error('sqlite-writer-worker runs as a worker thread');
const data = workerData as { path: string; commitFrame?: CommitFrame };
const store = await openSqliteStore(data.path, data.commitFrame ? { commitFrame: data.commitFrame } : {});

port.on('message', (m: Message) => {
  if ('close' in m) {
    void store.close().then(() => port.close());
    return;
  }
  // better-sqlite3 is synchronous underneath: the commit has run when this returns, so
  // batches are applied strictly in arrival order.
  store.commit(m.batch).then(
    (receipt) => port.postMessage({ id: m.id, receipt }),
    (e: unknown) => port.postMessage({ id: m.id, error: errorToWire(e) }),
  );
});
