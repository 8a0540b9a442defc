import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredFacts } from '../../src/store/sqlite/sqlite-purge.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// The name an operator gives a person token is often the person's own ("Min Zhou"). `credence
// purge` blanks it in `api_keys` once it forgets the person, but the hash-chained `key.issue`
// entry kept it for good: the chain cannot be edited without failing `audit verify`. The entry of
// a person token now records no name (the token is bound to the subject it names; the name is only
// a label, kept in the sealed, forgettable key row), so nothing of it is left in the log to forget.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const logText = (): string => {
  const db = new Database(w.db, { readonly: true });
  try {
    return JSON.stringify(db.prepare('SELECT * FROM audit_log').raw().all());
  } finally {
    db.close();
  }
};

describe("a person token's name", () => {
  it('never enters the audit log, so a purge leaves none of it; the chain verifies', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [shopFact('nm-1', { given_name: 'Qiu', surname: 'Wenjing', phone: '+8613900000088' })],
    });
    expect(sent.body?.counts?.accepted).toBe(1);
    const subject = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'nm-1' }])).get('shop/nm-1')
      ?.subject as string;
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: 'Wenjing Qiu (token for her phone)',
      subject,
    });
    expect(issued.status).toBe(200);
    // The operator still sees the label while the person is known.
    expect(issued.body.key.name).toBe('Wenjing Qiu (token for her phone)');
    const entry = (await w.api.ctx.audit.query({ actions: ['key.issue'] })).find(
      (e) => JSON.parse(String(e.detail)).keyId === issued.body.key.keyId,
    );
    expect(entry).toBeDefined();
    expect(JSON.parse(String(entry?.detail))).toMatchObject({ role: 'person', subject });
    expect(JSON.parse(String(entry?.detail)).name).toBeUndefined();
    expect(logText()).not.toContain('Wenjing');

    const r = purgeExpiredFacts(w.db, [{ type: 'purchase.completed', before: Date.parse('2100-01-01') }]);
    expect(r.forgotten.personTokens).toBeGreaterThanOrEqual(1);
    expect(logText()).not.toContain('Wenjing');
    const verify = await w.call('GET', '/v1/audit/verify', w.keys.operator);
    expect(verify.body.ok).toBe(true);
  });
});
