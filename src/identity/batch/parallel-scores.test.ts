import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateChinesePeople } from '../synthetic/index.js';

// The worker thread runs compiled JavaScript, so the scoring ahead is tested through dist/
// (from the TypeScript sources the batch links on one thread).
const dist = async () =>
  (await import(
    resolve(import.meta.dirname, '../../../dist/identity/index.js')
  )) as typeof import('../index.js');

describe('scoring candidates on a worker thread', () => {
  it('gives the resolutions of one thread, and of the incremental resolver (property)', async () => {
    const { resolveBatch, Resolver, trainModel } = await dist();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 20, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (seed, persons, chunk, normalise) => {
          const data = generateChinesePeople({ persons, seed, twins: 0.1, wangWei: 0.1, masked: true });
          const records = data.map((d) => d.record);
          const model = trainModel(records);
          const parallel = resolveBatch(records, { model, parallel: { minRecords: 0, chunk, normalise } });
          expect(parallel).toEqual(resolveBatch(records, { model, parallel: false }));
          const inc = new Resolver({ model });
          for (const [i, rec] of records.entries()) {
            const r = inc.resolve(rec);
            expect(r.decision).toBe(parallel[i]?.decision);
            expect(r.confidence).toBe(parallel[i]?.confidence);
          }
          for (const res of parallel) expect(inc.subjectOf(res.recordId)).toBe(res.subjectId);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('estimates the same model when it numbers the profiles itself; a record sent twice answers twice', async () => {
    const { resolveBatch } = await dist();
    const people = generateChinesePeople({ persons: 400, seed: 5, masked: true }).map((d) => d.record);
    const records = [...people, ...people.slice(100, 160)];
    const single = resolveBatch(records, { parallel: false });
    expect(resolveBatch(records, { parallel: { minRecords: 0, chunk: 97 } })).toEqual(single);
    expect(resolveBatch(records, { parallel: { minRecords: 0, chunk: 97, normalise: true } })).toEqual(
      single,
    );
  });
});
