/** How many failed authentications a client address, or one key id, may make. */
export interface FailedAuthLimits {
  /** Attempts allowed at once before the first refusal. */
  readonly burst: number;
  /** Attempts regained per second after that. */
  readonly perSecond: number;
}

/**
 * 20 failed attempts, then one every 3 seconds: far above what a client with a mistyped or
 * revoked key needs to notice it, far below what guessing (or making the server run scrypt for
 * another's key id) would need.
 */
export const FAILED_AUTH_LIMITS: FailedAuthLimits = { burst: 20, perSecond: 1 / 3 };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets for credentials that did not check out, per client address (an IPv6 address by
 * its /64, which one client usually holds whole) and per presented key id. An attempt is reserved
 * before the token is verified, so requests sent in parallel cannot all get through before the
 * first failure is counted, and given back when the token was good: valid traffic never drains a
 * bucket. A key id no key has is not kept (nothing to guess there, and random ids would fill the
 * map); a bucket that has refilled is the same as none, so such buckets are swept when the map
 * grows. In memory, per process, like the per-key rate.
 *
 * @example
 * const f = new FailedAuthLimiter();
 * f.reserve('203.0.113.7', 'k3J9aQ0xZb', Date.now()) // 0: go on and verify; else seconds to wait
 */
export class FailedAuthLimiter {
  readonly #limits: FailedAuthLimits;
  readonly #byAddress = new Map<string, Bucket>();
  readonly #byKey = new Map<string, Bucket>();
  readonly #sweepAt: number;
  #nextSweep: number;

  constructor(limits: FailedAuthLimits = FAILED_AUTH_LIMITS, sweepAt = 10_000) {
    this.#limits = limits;
    this.#sweepAt = sweepAt;
    this.#nextSweep = sweepAt;
  }

  /**
   * Reserves one attempt for this address and key id (undefined when the token names none):
   * 0 when it may be verified, else the seconds until it may (`Retry-After`). A refused attempt
   * takes nothing: while refused, nothing is verified, so nothing is learnt.
   */
  reserve(address: string, keyId: string | undefined, now: number): number {
    const a = this.#bucket(this.#byAddress, clientOf(address), now);
    const k = keyId === undefined ? undefined : this.#bucket(this.#byKey, keyId, now);
    if (a.tokens < 1 || (k !== undefined && k.tokens < 1)) {
      return Math.max(this.#wait(a), k === undefined ? 0 : this.#wait(k));
    }
    a.tokens -= 1;
    if (k !== undefined) k.tokens -= 1;
    return 0;
  }

  /**
   * Ends a reserved attempt: a good credential gives it back; a bad one keeps it spent, against the
   * key id only when a key has that id (`keyExists`).
   */
  settle(address: string, keyId: string | undefined, good: boolean, keyExists: boolean): void {
    if (good) {
      this.#giveBack(this.#byAddress, clientOf(address));
      if (keyId !== undefined) this.#giveBack(this.#byKey, keyId);
    } else if (keyId !== undefined && !keyExists) {
      this.#byKey.delete(keyId);
    }
  }

  /** How many addresses and key ids are tracked (memory is bounded by clients still failing). */
  get tracked(): { addresses: number; keyIds: number } {
    return { addresses: this.#byAddress.size, keyIds: this.#byKey.size };
  }

  #bucket(map: Map<string, Bucket>, id: string, now: number): Bucket {
    const { burst, perSecond } = this.#limits;
    let b = map.get(id);
    if (b === undefined) {
      if (map.size >= this.#nextSweep) this.#sweep(map, now);
      b = { tokens: burst, at: now };
      map.set(id, b);
    } else {
      // A clock set back never drains the bucket.
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
      b.at = now;
    }
    return b;
  }

  #giveBack(map: Map<string, Bucket>, id: string): void {
    const b = map.get(id);
    if (b !== undefined) b.tokens = Math.min(this.#limits.burst, b.tokens + 1);
  }

  #wait(b: Bucket): number {
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.#limits.perSecond));
  }

  /** Drops buckets that have refilled (the same as none); what is left is clients still failing. */
  #sweep(map: Map<string, Bucket>, now: number): void {
    const { burst, perSecond } = this.#limits;
    for (const [id, b] of map) {
      if (b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond >= burst) map.delete(id);
    }
    this.#nextSweep = Math.max(this.#sweepAt, map.size * 2);
  }
}

/**
 * The client an address stands for: an IPv4 address (also written IPv4-mapped, `::ffff:a.b.c.d`)
 * as itself, an IPv6 address by its first 64 bits, since a host is routinely given a whole /64
 * and could otherwise change address on every attempt.
 */
export function clientOf(address: string): string {
  if (!address.includes(':')) return address;
  const bare = (address.split('%')[0] as string).toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1] as string;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
