import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, activateRulebook, exampleWith, makeApiWorld } from './api-world.js';

// A relying party could ask whether a privilege holds under any purpose its key was issued for,
// whatever the privilege is for: a key allowed `marketing` and `tenancy` asked about a
// deposit-free bike under `marketing`. A policy may now declare the purposes it may be asked under
// (`purposes`); asked under another, the query is refused, naming the purpose and the policy.
const BOUND = exampleWith(
  0,
  /(- id: deposit-free-bike\n {4}context: commerce\n)/,
  '$1    purposes: [tenancy, rental]\n',
);

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
  await activateRulebook(w, BOUND);
});
afterAll(async () => w.dispose());

const decide = (policy: string, purpose: string) =>
  w.call('POST', '/v1/decisions', w.keys.rp, {
    subject: w.keys.personSubject,
    program: 'marketplace',
    policy,
    purpose,
  });

describe('a policy bound to purposes', () => {
  it('is refused under a purpose it does not allow, naming the purpose and the policy; no inquiry', async () => {
    const before = (await w.api.ctx.audit.query({ subject: w.keys.personSubject })).length;
    // `credit` is one of the key's purposes, but not one the policy is asked under.
    const r = await decide('deposit-free-bike', 'credit');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('CREDENCE_E_PURPOSE');
    expect(r.body.error.message).toContain('"credit"');
    expect(r.body.error.message).toContain('deposit-free-bike');
    expect(r.body.error.message).toContain('tenancy');
    expect(r.body.error.details[0]).toMatchObject({ field: 'purpose' });
    // Nothing was read about the person: no inquiry in their list.
    expect((await w.api.ctx.audit.query({ subject: w.keys.personSubject })).length).toBe(before);
    // The refusal itself is logged, as every refused purpose is.
    const refused = await w.api.ctx.audit.query({ actions: ['auth.refused'] });
    expect(refused.some((e) => e.detail.includes('deposit-free-bike'))).toBe(true);
  });

  it('is answered under a purpose it allows, and a policy that declares none under any of the key’s', async () => {
    expect((await decide('deposit-free-bike', 'tenancy')).status).toBe(200);
    expect((await decide('deposit-free-hotel', 'credit')).status).toBe(200);
  });
});
