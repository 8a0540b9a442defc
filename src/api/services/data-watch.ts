/**
 * Whether the database changed under the server: SQLite's `PRAGMA data_version` on the API's own
 * connection, which moves whenever another connection commits — this process's ingest (its writer
 * thread, its store) or any other process on the file (`credence ingest`, `import`, `purge`,
 * `consent`, `identity`, `program load`). What the server holds in memory (scores, programs, the
 * ingest pipeline's people and identity engine, the screening index) is kept only while it has
 * not moved.
 *
 * Reading it costs a statement, so the request path asks `turn()`: SQLite once per turn of the
 * event loop (a PRAGMA per request was 4 % of the score route), the same number for every request
 * of that turn. That is enough for "the next query after a commit": a request the client sent once
 * the other process's commit had returned was already readable when the event loop woke for it,
 * so its turn's read comes after the commit. `read()` asks SQLite now, for what must know at an
 * exact point (after an await, before a batch is judged).
 *
 * @example
 * const watch = new DataWatch(() => db.prepare('PRAGMA data_version').pluck().get() as number);
 * watch.onChange(() => cache.clear());
 */
export class DataWatch {
  readonly #read: () => number;
  readonly #listeners: (() => void)[] = [];
  #version: number;
  #checkedThisTurn = false;
  readonly #endTurn = (): void => {
    this.#checkedThisTurn = false;
  };

  constructor(read: () => number) {
    this.#read = read;
    this.#version = read();
  }

  /** The version as read this turn of the event loop (SQLite is asked on the turn's first call). */
  turn(): number {
    if (this.#checkedThisTurn) return this.#version;
    this.#checkedThisTurn = true;
    setImmediate(this.#endTurn);
    return this.read();
  }

  /** The version now (asks SQLite); listeners run first when it moved. */
  read(): number {
    const v = this.#read();
    if (v !== this.#version) {
      this.#version = v;
      for (const fn of this.#listeners) fn();
    }
    return v;
  }

  /** Runs `fn` (synchronously, inside `turn` or `read`) each time the version is seen to move. */
  onChange(fn: () => void): void {
    this.#listeners.push(fn);
  }
}
