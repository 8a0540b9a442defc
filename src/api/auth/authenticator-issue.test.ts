import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apiSchema } from '../sqlite/api-schema.js';
import { Authenticator } from './authenticator.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

function authenticator(): Authenticator {
  const db = new Database(':memory:');
  db.exec(apiSchema);
  return new Authenticator(new SqliteKeyStore(db), () => 1_000);
}

describe('issuing a relying-party key', () => {
  it('stores its purposes trimmed and once each, as every query matches them exactly', async () => {
    const { key } = await authenticator().issue({
      role: 'relying-party',
      name: 'Acme',
      purposes: [' tenancy ', 'tenancy', 'credit'],
    });
    expect(key.purposes).toEqual(['tenancy', 'credit']);
  });

  it('refuses a key with no purpose or a blank one, naming the field', async () => {
    const auth = authenticator();
    for (const purposes of [undefined, [], ['tenancy', '  ']]) {
      await expect(
        auth.issue({ role: 'relying-party', name: 'Acme', ...(purposes ? { purposes } : {}) }),
      ).rejects.toMatchObject({ code: 'CREDENCE_E_USAGE', details: [{ field: 'purposes' }] });
    }
    expect(auth.list()).toEqual([]);
  });
});

describe('issuing a furnisher key', () => {
  it('refuses a source named for special-category data, whose every fact would be refused', async () => {
    const auth = authenticator();
    await expect(
      auth.issue({ role: 'furnisher', name: 'Ward 3', source: 'city-hospital' }),
    ).rejects.toMatchObject({
      code: 'CREDENCE_E_FACT_PROHIBITED',
      details: [{ field: 'source', reason: expect.stringContaining('health') }],
    });
    expect(auth.list()).toEqual([]);
    const { key } = await auth.issue({ role: 'furnisher', name: 'Wallet', source: 'unionpay' });
    expect(key.source).toBe('unionpay');
  });
});
