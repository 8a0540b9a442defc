import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toProfile } from './profile.js';
import { generateChinesePeople } from './synthetic/index.js';

describe('toProfilesParallel', () => {
  it('gives the profiles toProfile gives, in input order, with worker threads (the built dist/)', async () => {
    // Worker threads run compiled JavaScript: from the TypeScript sources the function
    // normalises in this thread, so the threads are tested through dist/.
    const dist = (await import(
      resolve(import.meta.dirname, '../../dist/identity/index.js')
    )) as typeof import('./index.js');
    const records = generateChinesePeople({ persons: 1500, seed: 21, masked: true }).map((d) => d.record);
    const profiles = await dist.toProfilesParallel(records, { workers: 2, minRecords: 0, chunk: 250 });
    expect(profiles).toEqual(records.map((r) => toProfile(r)));
    expect(await dist.toProfilesParallel(records, { workers: 0 })).toEqual(profiles);
  });

  it('gives the same resolutions as resolveBatch', async () => {
    const dist = (await import(
      resolve(import.meta.dirname, '../../dist/identity/index.js')
    )) as typeof import('./index.js');
    const records = generateChinesePeople({ persons: 300, seed: 8 }).map((d) => d.record);
    const batch = dist.resolveBatch(records, { evidence: false });
    const parallel = await dist.resolveBatchParallel(records, {
      evidence: false,
      parallel: { workers: 1, minRecords: 0, chunk: 100 },
    });
    expect(parallel).toEqual(batch);
  });
});
