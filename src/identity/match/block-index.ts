/**
 * Blocking index: blocking key → the profiles that carry it. Keys are hashed to 53-bit
 * numbers (a collision only adds a comparison, never a link), and a query reads at most the
 * `limit` most recent members of a block, so one very common key (a popular name) cannot
 * make cost quadratic.
 *
 * Millions of keys live here, so it is an open-addressing table over typed arrays with each
 * block a linked list of nodes, newest first: no per-block objects for the garbage collector.
 */
export class BlockIndex {
  readonly #limit: number;
  #keys: Float64Array;
  #heads: Int32Array;
  #mask: number;
  #count = 0;
  #nodeId: Int32Array;
  #nodeNext: Int32Array;
  #nodes = 0;

  constructor(limit = 40, capacity = 1 << 12) {
    this.#limit = limit;
    this.#keys = new Float64Array(capacity).fill(-1);
    this.#heads = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
    this.#nodeId = new Int32Array(capacity);
    this.#nodeNext = new Int32Array(capacity);
  }

  add(id: number, keys: readonly string[]): void {
    this.addHashed(id, keys.map(hashKey));
  }

  /**
   * `add` with the keys already hashed (`hashKey`), so a query and its insert hash once;
   * `hashes[from..to)` only when given.
   */
  addHashed(id: number, hashes: ArrayLike<number>, from = 0, to = hashes.length): void {
    for (let k = from; k < to; k++) {
      const h = hashes[k] as number;
      if ((this.#count + 1) * 2 > this.#keys.length) this.#grow();
      const i = this.#slot(h);
      if (this.#keys[i] === -1) {
        this.#keys[i] = h;
        this.#count++;
      }
      const head = this.#heads[i] as number;
      if (head >= 0 && this.#nodeId[head] === id) continue;
      if (this.#nodes === this.#nodeId.length) {
        const id2 = new Int32Array(this.#nodes * 2);
        id2.set(this.#nodeId);
        this.#nodeId = id2;
        const next2 = new Int32Array(this.#nodes * 2);
        next2.set(this.#nodeNext);
        this.#nodeNext = next2;
      }
      const node = this.#nodes++;
      this.#nodeId[node] = id;
      this.#nodeNext[node] = head;
      this.#heads[i] = node;
    }
  }

  /**
   * Appends the members of each hashed key's block (most recent `limit`) to `out`, duplicates
   * included, and returns how many were appended. No allocation: the hot path of resolution.
   */
  collect(hashes: readonly number[], out: number[]): number {
    const limit = this.#limit;
    const ids = this.#nodeId;
    const next = this.#nodeNext;
    let n = 0;
    for (const h of hashes) {
      const i = this.#slot(h);
      if (this.#keys[i] === -1) continue;
      let node = this.#heads[i] as number;
      for (let k = 0; node >= 0 && k < limit; k++) {
        out[n++] = ids[node] as number;
        node = next[node] as number;
      }
    }
    return n;
  }

  /** Calls `visit` for the members of each key's block (most recent `limit`), duplicates included. */
  forEachCandidate(keys: readonly string[], visit: (id: number) => void): void {
    const out: number[] = [];
    const n = this.collect(keys.map(hashKey), out);
    for (let i = 0; i < n; i++) visit(out[i] as number);
  }

  get size(): number {
    return this.#count;
  }

  #slot(h: number): number {
    const keys = this.#keys;
    const mask = this.#mask;
    // The low 32 bits of the hash mix both halves (see hashKey).
    let i = (h >>> 0) & mask;
    for (;;) {
      const k = keys[i] as number;
      if (k === -1 || k === h) return i;
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldHeads = this.#heads;
    const capacity = oldKeys.length * 2;
    this.#keys = new Float64Array(capacity).fill(-1);
    this.#heads = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i] as number;
      if (k === -1) continue;
      const j = this.#slot(k);
      this.#keys[j] = k;
      this.#heads[j] = oldHeads[i] as number;
    }
  }
}

/** A 53-bit hash of a string (two 32-bit FNV-1a variants). */
export function hashKey(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
