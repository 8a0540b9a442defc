import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiSchema } from '../sqlite/api-schema.js';
import { Authenticator } from './authenticator.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

// The cached check reads the key id by position instead of matching the whole token pattern:
// it must still admit the verified token and nothing else, exactly as `authenticate` would.
describe('the cached key check', () => {
  it('admits the verified token only; any other header goes to authenticate, which refuses it', async () => {
    const db = new Database(':memory:');
    db.exec(apiSchema);
    const auth = new Authenticator(new SqliteKeyStore(db), () => 1_000);
    const { token } = await auth.issue({ role: 'relying-party', name: 'rp', purposes: ['tenancy'] });
    const other = await auth.issue({ role: 'furnisher', name: 'f', source: 'bank' });
    await auth.authenticate(`Bearer ${token}`);
    await auth.authenticate(`Bearer ${other.token}`);
    expect(auth.cached(`Bearer ${token}`)?.role).toBe('relying-party');
    expect(auth.cached(`Bearer  ${token} `)?.role).toBe('relying-party'); // trimmed, as authenticate does
    expect(auth.cached(`Bearer ${other.token}`)?.role).toBe('furnisher');
    const near = fc.oneof(
      // One character changed, dropped, added; the role prefix swapped; free text.
      fc
        .tuple(fc.nat(token.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
      fc.nat(token.length - 1).map((i) => token.slice(0, i) + token.slice(i + 1)),
      fc
        .tuple(fc.nat(token.length), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([i, c]) => token.slice(0, i) + c + token.slice(i)),
      fc.constant(token.replace('cred_rp_', 'cred_operator_')),
      fc.constant(`${token}x`),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(near, async (t) => {
        // A refused attempt may evict the key (a wrong role prefix does): verified again first.
        await auth.authenticate(`Bearer ${token}`);
        const header = `Bearer ${t}`;
        const hit = auth.cached(header);
        if (t.trim() === token) expect(hit?.role).toBe('relying-party');
        else {
          expect(hit).toBeUndefined();
          await expect(auth.authenticate(header)).rejects.toThrow();
        }
      }),
      { numRuns: 300 },
    );
    db.close();
  });
});
