import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// `credence audit verify` must fail after any edit of the database file (issue #6). The API keys
// decide who may read and write what: a relying party's key raised to operator in the file, a
// revoked key revived, a token's hash swapped for one the editor holds, or a key forged into the
// table would pass every request's check. They are sealed, and every issue and revocation keeps
// the seal; an edit by any other means answers ok: false, naming the table.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

type Report = {
  ok: boolean;
  seals?: { ok: boolean; derived?: Record<string, number>; path?: string; reason?: string };
};
const verify = async (): Promise<Report> => {
  const r = await w.call('GET', '/v1/audit/verify', w.keys.operator);
  expect(r.status).toBe(200);
  return r.body as Report;
};
const keyCount = (): number => {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM api_keys').pluck().get() as number;
  } finally {
    db.close();
  }
};

/**
 * Runs `sql` on the file and checks the verify names `api_keys`; then puts the table back as it
 * was and checks the verify passes again.
 */
async function editFails(sql: string): Promise<void> {
  const db = new Database(w.db);
  try {
    db.exec('CREATE TEMP TABLE kept AS SELECT * FROM api_keys');
    expect(db.prepare(sql).run().changes).toBeGreaterThan(0);
    const edited = await verify();
    expect(edited.ok).toBe(false);
    expect(edited.seals).toMatchObject({ ok: false, path: 'api_keys' });
    expect(edited.seals?.reason).toMatch(/API keys/);
    db.exec('DELETE FROM api_keys; INSERT INTO api_keys SELECT * FROM temp.kept; DROP TABLE temp.kept');
  } finally {
    db.close();
  }
  expect((await verify()).ok).toBe(true);
}

describe('the API keys held to their seal', () => {
  it('counts every key, through issues and revocations', async () => {
    const issued = await w.call(
      'POST',
      '/v1/keys',
      w.keys.operator,
      JSON.stringify({ role: 'relying-party', name: 'Late Lettings', purposes: ['tenancy'] }),
      { 'content-type': 'application/json' },
    );
    expect(issued.status).toBe(200);
    const id = (issued.body as { key: { keyId: string } }).key.keyId;
    expect((await w.call('DELETE', `/v1/keys/${id}`, w.keys.operator)).status).toBe(200);
    const clean = await verify();
    expect(clean.ok).toBe(true);
    expect(clean.seals?.derived?.api_keys).toBe(keyCount());
    expect(keyCount()).toBeGreaterThan(6);
  });

  it('fails after a key is raised, widened, revived, re-hashed, forged or deleted in the file', async () => {
    await editFails("UPDATE api_keys SET role = 'operator' WHERE name = 'Acme Rentals'");
    await editFails(
      `UPDATE api_keys SET scopes = replace(scopes, ']', ',"keys:admin"]') WHERE name = 'Shop Ltd'`,
    );
    await editFails('UPDATE api_keys SET purposes = \'["marketing","tenancy"]\' WHERE name = \'AdCo\'');
    await editFails("UPDATE api_keys SET revoked_at = NULL WHERE name = 'Late Lettings'");
    // Not the operator's own key, which asks for the verify: its token stops working on the next
    // request once its row holds another token's hash.
    await editFails(
      "UPDATE api_keys SET hash = (SELECT hash FROM api_keys WHERE name = 'AdCo') WHERE name = 'Acme Rentals'",
    );
    await editFails(
      "INSERT INTO api_keys SELECT key_id || 'x', 'operator', name, hash, scopes, purposes, source, subject, rate, created_at, NULL FROM api_keys WHERE name = 'AdCo'",
    );
    await editFails("DELETE FROM api_keys WHERE name = 'Person one'");
  });
});
