/**
 * A token bucket per key: `rate` requests per second on average, bursts up to twice that.
 * In memory, per process (several API processes each allow the rate; documented in docs/api.md).
 *
 * @example
 * const rl = new RateLimiter(); rl.take('k1', 10, Date.now()) // true until the bucket is empty
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one token; false when the key is over its rate (the caller answers 429). */
  take(key: string, rate: number, now: number): boolean {
    const cap = Math.max(1, rate * 2);
    let b = this.#buckets.get(key);
    if (!b) {
      b = { tokens: cap, at: now };
      this.#buckets.set(key, b);
    } else {
      // A clock set back never drains the bucket.
      b.tokens = Math.min(cap, b.tokens + (Math.max(0, now - b.at) / 1000) * rate);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /**
   * Seconds until the next token, for `Retry-After`: a whole number written in digits (RFC 9110),
   * at most 2^53 - 1. A key may hold any rate above 0; at 5e-324 the wait was Infinity and at
   * 1e-300 9.999999999999999e+299, sent as they were in the header and the 429's message.
   */
  retryAfter(key: string, rate: number): number {
    const b = this.#buckets.get(key);
    if (!b || rate <= 0) return 1;
    return Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.ceil((1 - b.tokens) / rate)));
  }
}
