import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shouldCollect } from './heap.js';

const MB = 2 ** 20;

describe('the forced collection between ingest batches', () => {
  it('never collects under the floor, and collects above it until something was collected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 }), (used, floor) => {
        expect(shouldCollect(used * MB, floor * MB, 0)).toBe(used > floor);
      }),
    );
  });

  it('once the live heap passed the floor, waits for it to grow by half again (not after every batch)', () => {
    // What one collection left at 700 MB live: a heap of 900 MB is not collected again...
    expect(shouldCollect(900 * MB, 512 * MB, 700 * MB)).toBe(false);
    // ...one of 1,100 MB is.
    expect(shouldCollect(1100 * MB, 512 * MB, 700 * MB)).toBe(true);
  });

  it('over a long run whose live data is past the floor and growing, collects rarely and keeps the heap within bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 1500 }), // live MB at the start, above the floor
        fc.integer({ min: 0, max: 3 }), // live MB added per batch
        fc.integer({ min: 5, max: 60 }), // garbage MB left per batch
        (start, growth, garbage) => {
          let live = start * MB;
          let used = live;
          let liveAfterLast = 0;
          let collections = 0;
          const batches = 2000;
          for (let b = 0; b < batches; b++) {
            live += growth * MB;
            used += (growth + garbage) * MB;
            if (shouldCollect(used, 512 * MB, liveAfterLast)) {
              used = live;
              liveAfterLast = live;
              collections++;
            }
            // Never more than half again the live size, the floor, and one batch's allocations.
            expect(used).toBeLessThanOrEqual(
              Math.max(1.5 * liveAfterLast, 512 * MB) + (growth + garbage) * MB,
            );
          }
          // Once per half the live size allocated at most (a fixed ceiling below the live size
          // collected after every batch).
          expect(collections).toBeLessThanOrEqual(
            Math.ceil((batches * (growth + garbage)) / (0.5 * start)) + 1,
          );
          expect(collections).toBeLessThan(batches / 4);
        },
      ),
    );
  });
});
