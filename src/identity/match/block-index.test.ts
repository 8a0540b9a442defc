import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockIndex, hashKey } from './block-index.js';

describe('BlockIndex', () => {
  it('returns the most recent members of each block, newest first, up to the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 200 }),
            fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
          ),
        ),
        fc.integer({ min: 1, max: 6 }),
        (adds, limit) => {
          const index = new BlockIndex(limit, 2);
          const model = new Map<string, number[]>();
          for (const [id, keys] of adds) {
            index.add(id, keys);
            for (const k of keys) {
              const list = model.get(k) ?? [];
              if (list[list.length - 1] !== id) list.push(id);
              model.set(k, list);
            }
          }
          for (const k of ['a', 'b', 'c', 'd', 'e']) {
            const out: number[] = [];
            const n = index.collect([hashKey(k)], out);
            expect(out.slice(0, n)).toEqual((model.get(k) ?? []).slice().reverse().slice(0, limit));
          }
          expect(index.size).toBe(model.size);
        },
      ),
    );
  });
});
