const SHARDS = 64;

/** FNV-1a, 32 bits: a blocking key as a number (a collision only adds a candidate to compare). */
export function keyHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Blocking key → indexed names. Keys are hashed to numbers and spread over shards (a V8 Map
 * holds at most 2^24 entries, and tens of millions of string keys would cost gigabytes); a key
 * with one name holds the number itself, not an array.
 */
export class Postings {
  readonly #shards = Array.from({ length: SHARDS }, () => new Map<number, number | number[]>());

  add(key: string, name: number): void {
    const h = keyHash(key);
    const shard = this.#shards[h & (SHARDS - 1)] as Map<number, number | number[]>;
    const cur = shard.get(h);
    if (cur === undefined) shard.set(h, name);
    else if (typeof cur === 'number') {
      if (cur !== name) shard.set(h, [cur, name]);
    } else if (cur[cur.length - 1] !== name) cur.push(name);
  }

  /** The names under a key (possibly a few more, from a hash collision). */
  get(key: string): number | readonly number[] | undefined {
    const h = keyHash(key);
    return (this.#shards[h & (SHARDS - 1)] as Map<number, number | number[]>).get(h);
  }
}
