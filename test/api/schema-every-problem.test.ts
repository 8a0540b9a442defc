import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// docs/api.md promises a detail per problem. A decision with `subjct` and `polcy` misspelt was
// told only "body.subject is required": the misspelt fields, and the other missing one, went
// unnamed until the client had fixed and resent three times.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a request body with several problems', () => {
  it('names every one of them, each at its field', async () => {
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subjct: w.keys.personSubject,
      program: 'marketplace',
      polcy: 'deposit-free-rental',
      purpose: 'tenancy',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    const details = r.body.error.details.map(
      (d: { path: string; reason: string }) => `${d.path} ${d.reason}`,
    );
    expect(details.sort()).toEqual([
      'body.polcy is not a field of this request',
      'body.policy is required',
      'body.subjct is not a field of this request',
      'body.subject is required',
    ]);
    for (const d of details) expect(r.body.error.message).toContain(d);
  });

  it('still gives one detail for a value outside a list, naming the allowed values', async () => {
    const r = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'maybe',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([
      { code: 'CREDENCE_E_USAGE', path: 'body.action', reason: 'must be one of "opt-out", "opt-in"' },
    ]);
  });
});
