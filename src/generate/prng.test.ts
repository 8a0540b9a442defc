import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulative, mixSeed, Prng } from './prng.js';

const draw = (seed: number, n: number): number[] => {
  const r = new Prng(seed);
  return Array.from({ length: n }, () => r.next());
};

describe('Prng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        expect(draw(seed, 20)).toEqual(draw(seed, 20));
        expect(draw(seed, 20)).not.toEqual(draw(seed + 1, 20));
      }),
    );
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const r = new Prng(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const k = r.int(n);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });

  it('draws weighted indices in proportion to their weights', () => {
    const r = new Prng(7);
    const cum = cumulative([1, 3]);
    let ones = 0;
    for (let i = 0; i < 20_000; i++) ones += r.weighted(cum);
    expect(ones / 20_000).toBeGreaterThan(0.72);
    expect(ones / 20_000).toBeLessThan(0.78);
  });

  it('draws Poisson counts with the requested mean', () => {
    const r = new Prng(11);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.poisson(4);
    expect(sum / 20_000).toBeGreaterThan(3.9);
    expect(sum / 20_000).toBeLessThan(4.1);
  });

  it('mixes seeds so neighbouring people get unrelated streams', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => mixSeed(1, i)));
    expect(seeds.size).toBe(10_000);
    expect(mixSeed(1, 0)).not.toBe(mixSeed(2, 0));
  });
});
