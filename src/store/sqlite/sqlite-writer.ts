import { Worker } from 'node:worker_threads';
import { CredenceError, credenceErrorFromWire, type WireError } from '../../core/errors/index.js';
import { workerFileBeside } from '../../threads/worker-file.js';
import type { CommitBatch, CommitReceipt } from '../store.js';
import type { AsyncCommitter } from '../write-behind.js';
import type { CommitFrame } from './sqlite-store.js';

interface Reply {
  id: number;
  receipt?: CommitReceipt;
  error?: WireError;
}

/**
 * Commits on a worker thread with its own connection to the same SQLite file (WAL: the main
 * connection keeps reading while it writes). Batches are applied in the order `commit` is
 * called; each promise settles when its transaction has committed or rolled back.
 */
export class SqliteWriter implements AsyncCommitter {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (r: CommitReceipt) => void; reject: (e: Error) => void }>();
  #next = 1;
  #dead: Error | undefined;

  /**
   * A writer for the database at `path`, or undefined where a worker cannot serve it.
   * `commitFrame`: statements run first and last in each batch's transaction.
   */
  static start(path: string, commitFrame?: CommitFrame): SqliteWriter | undefined {
    if (path === ':memory:' || path === '') return undefined;
    const file = workerFileBeside(import.meta.url, 'sqlite-writer-worker.js');
    return file
      ? new SqliteWriter(new Worker(file, { workerData: commitFrame ? { path, commitFrame } : { path } }))
      : undefined;
  }

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.unref();
    worker.on('message', (r: Reply) => this.#settle(r));
    worker.on('error', (e) => this.#fail(e));
    worker.on('exit', (code) => this.#fail(new Error(`the database writer thread stopped (exit ${code})`)));
  }

  commit(batch: CommitBatch): Promise<CommitReceipt> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      // Keep the process alive only while a commit is outstanding.
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#worker.postMessage({ id, batch });
    });
  }

  /** The thread has ended (crashed or was closed): it takes no more batches. */
  get stopped(): boolean {
    return this.#dead !== undefined;
  }

  async close(): Promise<void> {
    if (this.#dead) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.ref();
    this.#worker.postMessage({ close: true });
    await exited;
  }

  #settle(r: Reply): void {
    const w = this.#waiting.get(r.id);
    if (!w) return;
    this.#waiting.delete(r.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if (r.receipt) w.resolve(r.receipt);
    else {
      const e = r.error;
      w.reject(
        (e && credenceErrorFromWire(e)) ??
          new CredenceError('CREDENCE_E_DB', `the database write failed: ${e?.message ?? 'unknown error'}`),
      );
    }
  }

  #fail(e: Error): void {
    this.#dead ??= e;
    for (const w of this.#waiting.values()) w.reject(e);
    this.#waiting.clear();
  }
}
