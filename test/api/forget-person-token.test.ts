import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredFacts } from '../../src/store/sqlite/sqlite-purge.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// A person none of whose facts is left is forgotten by `credence purge`: their names, numbers and
// addresses go. Their person tokens stayed in `api_keys`, working, under the name the operator gave
// them (often the person's own name): whoever held one still read "their" file, and the file kept
// the name. A purge now revokes them and blanks the name, keeping the keys' seal.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const row = (keyId: string) => {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare('SELECT name, revoked_at FROM api_keys WHERE key_id = ?').get(keyId) as {
      name: string;
      revoked_at: number | null;
    };
  } finally {
    db.close();
  }
};

describe("a forgotten person's tokens", () => {
  it('stop working and lose their name; the audit verify still passes', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [shopFact('fg-1', { given_name: 'Min', surname: 'Zhou', phone: '+8613900000077' })],
    });
    expect(sent.body?.counts?.accepted).toBe(1);
    const held = await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'fg-1' }]);
    const subject = held.get('shop/fg-1')?.subject as string;
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: 'Min Zhou',
      subject,
    });
    expect(issued.status).toBe(200);
    const { token, key } = issued.body as { token: string; key: { keyId: string } };
    // Another person's token, whose person keeps facts, is left alone.
    const kept = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(kept.status).toBe(200);
    expect((await w.call('GET', '/v1/me/file', token)).status).toBe(200);

    // Their one fact past a retention that ends in 2100: nothing of theirs is left.
    const r = purgeExpiredFacts(w.db, [{ type: 'purchase.completed', before: Date.parse('2100-01-01') }]);
    expect(r.forgotten.people).toBeGreaterThan(0);
    // Refused on the server's next request: the purge's commit (another connection) is seen at
    // once, not when the token's cache entry ages out.
    const refused = await w.call('GET', '/v1/me/file', token);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toContain('CREDENCE_E_UNAUTHENTICATED');
    expect(r.forgotten.personTokens).toBeGreaterThanOrEqual(1);
    expect(row(key.keyId)).toEqual({ name: '(forgotten)', revoked_at: expect.any(Number) });
    const listed = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys as { name: string }[];
    expect(listed.map((k) => k.name)).not.toContain('Min Zhou');

    const verify = await w.call('GET', '/v1/audit/verify', w.keys.operator);
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);

    // A second purge finds nothing more to forget among the tokens.
    expect(purgeExpiredFacts(w.db, []).forgotten.personTokens).toBe(0);
  });
});
