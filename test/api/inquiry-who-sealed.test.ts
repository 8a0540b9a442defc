import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Who asked was read from the api_keys table when the person read their inquiries, not from the
// hash-chained entry: renaming or deleting a relying party's key row by hand changed (or hid) who
// the person was told had asked, and `credence audit verify` still passed. The entry now keeps the
// name the key had when it asked.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const whoOf = async (action: string) =>
  (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries
    .filter((i: { action: string }) => i.action === action)
    .map((i: { who: string; what: string; sent: Record<string, unknown> }) => i);

describe('who asked is kept in the audit entry', () => {
  it('a key row renamed or deleted by hand does not change who the person is told asked', async () => {
    const subject = w.keys.personSubject;
    const s = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(s.status).toBe(200);
    const d = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject,
      program: 'marketplace',
      policy: w.api.ctx.programs.at('marketplace', w.clock.now).privileges[0]?.id,
      purpose: 'credit',
    });
    expect(d.status).toBe(200);
    const rpKeyId = (await whoOf('score.query'))[0].keyId as string;

    const raw = new Database(w.db);
    raw.prepare('UPDATE api_keys SET name = ? WHERE key_id = ?').run('Trusted Bank', rpKeyId);
    raw.close();
    for (const action of ['score.query', 'decision.query']) {
      const [i] = await whoOf(action);
      expect(i.who).toBe('Acme Rentals');
      expect(i.what).toMatch(/^Acme Rentals asked/);
      // The name is who asked, not part of what they were told.
      expect(i.sent).not.toHaveProperty('who');
    }

    const raw2 = new Database(w.db);
    raw2.prepare('DELETE FROM api_keys WHERE key_id = ?').run(rpKeyId);
    raw2.close();
    const [i] = await whoOf('score.query');
    expect(i.who).toBe('Acme Rentals');
  });
});
