import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A relying-party key was issued for any purposes: "religion", "trade-union-check". Its scores and
// decisions were then answered and kept in the person's inquiry list "for the purpose religion":
// Credence used to decide about what the hard line says it never scores. A rulebook may not
// declare such a purpose on a policy (hard-line-policy-purposes.test.ts), nor a key hold one, as
// no key is issued for a source so named.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a relying-party key for a purpose naming special-category data', () => {
  it('is not issued, each such purpose named; no key is stored', async () => {
    const before = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length;
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'relying-party',
      name: 'Vetting Ltd',
      purposes: ['tenancy', 'religion', 'trade-union-check'],
    });
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).toEqual([
      ['purposes', expect.stringContaining('"religion"')],
      ['purposes', expect.stringContaining('"trade-union-check"')],
    ]);
    expect(r.body.error.message).toContain('special-category');
    expect((await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length).toBe(before);
  });

  it('ordinary purposes are issued as before', async () => {
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'relying-party',
      name: 'Lettings Ltd',
      purposes: ['tenancy', 'credit', 'employment screening'],
    });
    expect(r.status).toBe(200);
    expect(r.body.key.purposes).toEqual(['tenancy', 'credit', 'employment screening']);
  });
});
