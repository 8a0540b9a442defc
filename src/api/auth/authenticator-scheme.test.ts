import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiSchema } from '../sqlite/api-schema.js';
import { Authenticator } from './authenticator.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

// RFC 9110 §11.1: the authentication scheme is case-insensitive, and a client that writes
// `bearer <key>` (curl scripts, some HTTP libraries) must be let in as `Bearer <key>` is.

async function withKey() {
  const db = new Database(':memory:');
  db.exec(apiSchema);
  const auth = new Authenticator(new SqliteKeyStore(db), () => 1_000);
  const { token, key } = await auth.issue({ role: 'relying-party', name: 'Acme', purposes: ['tenancy'] });
  return { auth, token, keyId: key.keyId };
}

/** "Bearer" in any mix of cases. */
const scheme = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((up) => [...'bearer'].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));

describe('the Authorization scheme', () => {
  it('is read in any case, by the first check and by the cached one', async () => {
    const { auth, token, keyId } = await withKey();
    await fc.assert(
      fc.asyncProperty(scheme, async (s) => {
        expect((await auth.authenticate(`${s} ${token}`)).keyId).toBe(keyId);
        expect(auth.cached(`${s} ${token}`)?.keyId).toBe(keyId);
        expect(auth.verifiedBefore(`${s} ${token}`)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('tells a client that sent the key without a scheme to write Bearer before it', async () => {
    const { auth, token } = await withKey();
    await expect(auth.authenticate(token)).rejects.toMatchObject({
      code: 'CREDENCE_E_UNAUTHENTICATED',
      message: expect.stringContaining('Authorization: Bearer <API key>'),
    });
    await expect(auth.authenticate(`Basic ${token}`)).rejects.toMatchObject({
      code: 'CREDENCE_E_UNAUTHENTICATED',
      message: expect.stringContaining('Bearer'),
    });
  });
});
