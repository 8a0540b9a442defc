import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../contract/store-contract.case.js';
import { openSqliteStore } from './sqlite-store.js';

runStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-store-'));
  const store = await openSqliteStore(join(dir, 'test.db'), { create: true });
  await store.migrate();
  const dispose = async (): Promise<void> => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, dispose };
});
