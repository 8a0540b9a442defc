/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for synthetic data and,
 * above all, reproducible: the same seed always gives the same sequence on every machine.
 * Math.random is never used, so generated output depends only on its arguments.
 *
 * @example
 * const r = new Prng(42);
 * r.int(6) // an integer in [0, 6)
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Picks an index by cumulative weights (as built by `cumulative`). */
  weighted(cum: readonly number[]): number {
    const total = cum[cum.length - 1] as number;
    const x = this.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A count with the given mean (Poisson by inversion; fine for the small means used here). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
}

/**
 * Running sums of weights, for `Prng.weighted`.
 *
 * @example
 * cumulative([1, 3]) // [1, 4]: index 1 is drawn three times as often as index 0
 */
export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}

/**
 * Mixes two 32-bit integers into a well-spread seed (murmur3's finaliser), so person `i` of seed `s`
 * gets its own stream, independent of how many people come before it.
 *
 * @example
 * new Prng(mixSeed(seed, i)) // person i's stream
 */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
