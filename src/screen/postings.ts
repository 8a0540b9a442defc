/** FNV-1a, 32 bits: a blocking key as a number (a collision only adds a candidate to compare). */
export function keyHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const NAME_BITS = 2 ** 21;
/** Most names one index holds: a (hash, name) pair is packed into one exact double. */
export const MAX_NAMES = NAME_BITS;
const EMPTY = new Uint32Array(0);

/**
 * Blocking key → indexed names, as a sorted, compressed table: keys are hashed to 32 bits, every
 * (hash, name) pair is packed into one number, and the pairs are sorted once into a key column
 * and an offsets column (compressed sparse rows). Tens of millions of pairs take a few hundred
 * megabytes and are built in seconds, where a Map of string keys would take gigabytes and minutes.
 */
export class Postings {
  #pending = new Float64Array(1 << 16);
  #count = 0;
  #keys = EMPTY;
  #offsets = EMPTY;
  #names = EMPTY;
  /** Where each range of hashes (by their top `#bits` bits) starts in `#keys`. */
  #buckets = new Uint32Array(3);
  #bits = 1;
  #dirty = false;

  add(key: string, name: number): void {
    if (name >= NAME_BITS) throw new RangeError(`a screening index holds at most ${NAME_BITS} names`);
    if (this.#count === this.#pending.length) {
      const bigger = new Float64Array(this.#pending.length * 2);
      bigger.set(this.#pending);
      this.#pending = bigger;
    }
    this.#pending[this.#count++] = keyHash(key) * NAME_BITS + name;
    this.#dirty = true;
  }

  /** Sorts what was added into the lookup table (done on the first lookup after adding). */
  #freeze(): void {
    // Pairs already in the table are added back, so adding after a lookup keeps working.
    const all = new Float64Array(this.#count + this.#names.length);
    all.set(this.#pending.subarray(0, this.#count));
    let n = this.#count;
    for (let k = 0; k < this.#keys.length; k++) {
      const h = this.#keys[k] as number;
      for (let i = this.#offsets[k] as number; i < (this.#offsets[k + 1] as number); i++) {
        all[n++] = h * NAME_BITS + (this.#names[i] as number);
      }
    }
    all.sort();
    const keys: number[] = [];
    const offsets: number[] = [];
    const names = new Uint32Array(all.length);
    let m = 0;
    let prevPair = -1;
    let prevKey = -1;
    for (let i = 0; i < all.length; i++) {
      const pair = all[i] as number;
      if (pair === prevPair) continue;
      prevPair = pair;
      const key = Math.floor(pair / NAME_BITS);
      if (key !== prevKey) {
        keys.push(key);
        offsets.push(m);
        prevKey = key;
      }
      names[m++] = pair - key * NAME_BITS;
    }
    offsets.push(m);
    this.#keys = Uint32Array.from(keys);
    this.#offsets = Uint32Array.from(offsets);
    this.#names = names.slice(0, m);
    this.#bucket();
    this.#pending = new Float64Array(1 << 10);
    this.#count = 0;
    this.#dirty = false;
  }

  /**
   * A directory over the sorted key column, about two keys per range: a look-up reads one range
   * (a cache line or two) instead of binary-searching tens of millions of keys from the top,
   * which costs a cache miss per step and was most of a fuzzy query's forty look-ups.
   */
  #bucket(): void {
    const keys = this.#keys;
    const bits = Math.max(1, Math.min(26, Math.floor(Math.log2(Math.max(2, keys.length))) - 1));
    const shift = 32 - bits;
    const buckets = new Uint32Array((1 << bits) + 1);
    let k = 0;
    for (let b = 0; b < 1 << bits; b++) {
      buckets[b] = k;
      while (k < keys.length && (keys[k] as number) >>> shift === b) k++;
    }
    buckets[1 << bits] = keys.length;
    this.#buckets = buckets;
    this.#bits = bits;
  }

  /** The names under a key (possibly a few more, from a hash collision), in ascending order. */
  get(key: string): Uint32Array {
    return this.getHashed(keyHash(key));
  }

  /** `get` for a key already hashed with `keyHash`. */
  getHashed(h: number): Uint32Array {
    const row = this.row(h);
    return row < 0
      ? EMPTY
      : this.#names.subarray(this.#offsets[row] as number, this.#offsets[row + 1] as number);
  }

  /**
   * The row of a hashed key, or -1: its names are `names[start(row)]` up to `start(row + 1)`.
   * The screener reads them in place (a view per look-up is garbage forty times a query).
   */
  row(h: number): number {
    if (this.#dirty) this.#freeze();
    const b = h >>> (32 - this.#bits);
    let lo = this.#buckets[b] as number;
    let hi = (this.#buckets[b + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.#keys[mid] as number;
      if (v < h) lo = mid + 1;
      else if (v > h) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  start(row: number): number {
    return this.#offsets[row] as number;
  }

  /** Every row's names, end to end (valid until the next `add`). */
  get names(): Uint32Array {
    if (this.#dirty) this.#freeze();
    return this.#names;
  }
}
