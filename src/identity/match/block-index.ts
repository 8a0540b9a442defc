/**
 * Blocking index: blocking key → the profiles that carry it. Keys are hashed to 53-bit
 * numbers (a collision only adds a comparison, never a link), and a query reads at most the
 * `limit` most recent members of a block, so one very common key (a popular name) cannot
 * make cost quadratic.
 */
export class BlockIndex {
  readonly #blocks = new Map<number, number | number[]>();
  readonly #limit: number;

  constructor(limit = 40) {
    this.#limit = limit;
  }

  add(id: number, keys: readonly string[]): void {
    this.addHashed(id, keys.map(hashKey));
  }

  /** `add` with the keys already hashed (`hashKey`), so a query and its insert hash once. */
  addHashed(id: number, hashes: readonly number[]): void {
    for (const h of hashes) {
      const cur = this.#blocks.get(h);
      if (cur === undefined) this.#blocks.set(h, id);
      else if (typeof cur === 'number') {
        if (cur !== id) this.#blocks.set(h, [cur, id]);
      } else if (cur[cur.length - 1] !== id) cur.push(id);
    }
  }

  /** Calls `visit` for the members of each key's block (most recent `limit`), duplicates included. */
  forEachCandidate(keys: readonly string[], visit: (id: number) => void): void {
    const limit = this.#limit;
    for (const k of keys) {
      const cur = this.#blocks.get(hashKey(k));
      if (cur === undefined) continue;
      if (typeof cur === 'number') {
        visit(cur);
        continue;
      }
      const lo = Math.max(0, cur.length - limit);
      for (let i = cur.length - 1; i >= lo; i--) visit(cur[i] as number);
    }
  }

  /**
   * Appends the members of each hashed key's block (most recent `limit`) to `out`, duplicates
   * included, and returns how many were appended. No allocation: the hot path of resolution.
   */
  collect(hashes: readonly number[], out: number[]): number {
    const limit = this.#limit;
    let n = 0;
    for (const h of hashes) {
      const cur = this.#blocks.get(h);
      if (cur === undefined) continue;
      if (typeof cur === 'number') {
        out[n++] = cur;
        continue;
      }
      const lo = cur.length > limit ? cur.length - limit : 0;
      for (let i = cur.length - 1; i >= lo; i--) out[n++] = cur[i] as number;
    }
    return n;
  }

  get size(): number {
    return this.#blocks.size;
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
