import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

// Retry-After is a count of seconds in decimal digits (RFC 9110 §10.2.3). A key may be issued with
// any rate above 0: at 5e-324 a second token is never due and the wait was Infinity, at 1e-300
// 9.999999999999999e+299, both sent as the header and in the 429's message.
describe('RateLimiter.retryAfter', () => {
  it('is a whole number of seconds, at least 1, written in digits, for every rate a key may hold', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1_000_000, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (rate, taken) => {
          const rl = new RateLimiter();
          for (let i = 0; i < taken; i++) rl.take('k', rate, 1_000);
          const wait = rl.retryAfter('k', rate);
          expect(Number.isSafeInteger(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(1);
          expect(String(wait)).toMatch(/^[1-9][0-9]*$/);
        },
      ),
    );
  });

  it('is the wait for the next token when that is a number of seconds', () => {
    const rl = new RateLimiter();
    rl.take('k', 0.5, 0); // the bucket holds 1 at rate 0.5: now empty
    expect(rl.retryAfter('k', 0.5)).toBe(2);
  });

  it('says the most it can for a rate whose next token is never due', () => {
    const rl = new RateLimiter();
    rl.take('k', Number.MIN_VALUE, 0);
    expect(rl.retryAfter('k', Number.MIN_VALUE)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
