/**
 * Runs tasks one after another. The ingest pipeline keeps people and the resolver's next id in
 * memory between awaits, so two HTTP batches must never interleave inside it.
 *
 * @example
 * const q = new SerialQueue(); await q.run(() => pipeline.ingestBatch(lines));
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
