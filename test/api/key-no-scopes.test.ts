import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A key issued with `"scopes": []` was issued (200) and then refused 403 on every route it was
// meant for: a mistake at issue time, as a relying party without purposes is, not a 403 on every
// request later. It is refused by name; left out, scopes are the role's defaults, as before.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a key issued with no scopes', () => {
  it('is refused for every role, naming scopes, and no key is stored', async () => {
    const before = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length;
    for (const body of [
      { role: 'furnisher', name: 'f', source: 'shop', scopes: [] },
      { role: 'relying-party', name: 'r', purposes: ['credit'], scopes: [] },
      { role: 'person', name: 'p', subject: w.keys.personSubject, scopes: [] },
      { role: 'operator', name: 'o', scopes: [] },
    ]) {
      const r = await w.call('POST', '/v1/keys', w.keys.operator, body);
      expect([body.role, r.status, r.body.error?.code]).toEqual([body.role, 400, 'CREDENCE_E_USAGE']);
      expect(r.body.error.details[0]).toMatchObject({ field: 'scopes' });
      expect(r.body.error.message).toContain('scope');
    }
    expect((await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length).toBe(before);
  });

  it("left out, a key holds its role's default scopes, and one scope is enough", async () => {
    const d = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'f',
      source: 'shop',
    });
    expect(d.body.key.scopes).toEqual(['facts:write', 'facts:read']);
    const one = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'relying-party',
      name: 'r',
      purposes: ['credit'],
      scopes: ['scores:read'],
    });
    expect([one.status, one.body.key.scopes]).toEqual([200, ['scores:read']]);
  });
});
