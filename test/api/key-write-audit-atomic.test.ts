import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A key's issue and its revocation were stored in one transaction and their key.issue / key.revoke
// entry appended in another, after it: a server killed between the two left a key that works (or a
// key revoked) that the audit log, where every grant is checked later, never recorded. A kill
// cannot be timed from a test; an entry the file refuses (a trigger) stands for it: whatever of the
// write is then in the file is what a kill there would have left.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const refuseEntry = (action: string) => `CREATE TRIGGER test_refuse_entry BEFORE INSERT ON audit_log
  WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'the audit entry cannot be written'); END`;

function withFile<T>(fn: (file: Database.Database) => T): T {
  const file = new Database(w.db);
  try {
    return fn(file);
  } finally {
    file.close();
  }
}
const keys = (sql: string, ...args: unknown[]): number =>
  withFile((f) =>
    f
      .prepare(sql)
      .pluck()
      .get(...args),
  ) as number;

describe("a key's write and its audit entry", () => {
  it('an issue whose key.issue entry cannot be written issues no key', async () => {
    const before = keys('SELECT count(*) FROM api_keys');
    withFile((f) => f.exec(refuseEntry('key.issue')));
    const r = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'operator', name: 'Never issued' });
    withFile((f) => f.exec('DROP TRIGGER test_refuse_entry'));
    expect(r.status).toBe(500);
    expect(keys('SELECT count(*) FROM api_keys')).toBe(before);
    // Issued afterwards, the key and its entry are both there.
    const ok = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'operator', name: 'Issued' });
    expect(ok.status).toBe(200);
    expect(keys('SELECT count(*) FROM api_keys')).toBe(before + 1);
    const logged = await w.api.ctx.audit.query({ actions: ['key.issue'] });
    expect(logged.filter((e) => JSON.parse(e.detail).keyId === ok.body.key.keyId)).toHaveLength(1);
  });

  it('a revocation whose key.revoke entry cannot be written leaves the key as it was, working', async () => {
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'operator', name: 'Kept' });
    const { token, key } = issued.body;
    withFile((f) => f.exec(refuseEntry('key.revoke')));
    const r = await w.call('DELETE', `/v1/keys/${key.keyId}`, w.keys.operator);
    withFile((f) => f.exec('DROP TRIGGER test_refuse_entry'));
    expect(r.status).toBe(500);
    expect(keys('SELECT revoked_at FROM api_keys WHERE key_id = ?', key.keyId)).toBeNull();
    expect((await w.call('GET', '/v1/keys', token)).status).toBe(200);
    // Revoked afterwards: refused at once, and logged once.
    expect((await w.call('DELETE', `/v1/keys/${key.keyId}`, w.keys.operator)).status).toBe(200);
    expect((await w.call('GET', '/v1/keys', token)).status).toBe(401);
    const logged = await w.api.ctx.audit.query({ actions: ['key.revoke'] });
    expect(logged.filter((e) => JSON.parse(e.detail).keyId === key.keyId)).toHaveLength(1);
    const verify = await w.call('GET', '/v1/audit/verify', w.keys.operator);
    expect(verify.body.ok).toBe(true);
  });
});
