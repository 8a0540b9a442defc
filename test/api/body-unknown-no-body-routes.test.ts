import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A route that reads no body answered as if none were sent: `POST …/activate` with
// {"effectiveFrom": "2027-01-01"} put the draft in force at once (an operator who meant to schedule
// it learnt nothing), `DELETE /v1/keys/{keyId}` with {"reason": …} revoked without it. Every other
// route refuses a field it does not read; these now refuse a body, naming its fields, and do nothing.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a body sent to a route that reads none', () => {
  it('is refused naming its fields, and the route does nothing', async () => {
    const programs = (await w.call('GET', '/v1/programs', w.keys.operator)).body.programs;
    const before = programs.find((p: { program: string }) => p.program === 'marketplace').inForce;
    const listed = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(listed.status).toBe(200);
    const { readFileSync } = await import('node:fs');
    const { PROGRAM_FILES } = await import('./api-world.js');
    const yaml = readFileSync(PROGRAM_FILES[0] as string, 'utf8').replace(
      /^name: .*$/m,
      'name: Marketplace next',
    );
    const draft = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml });
    expect(draft.status).toBe(200);

    const act = await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator, {
      effectiveFrom: '2027-01-01T00:00:00Z',
    });
    expect(act.status).toBe(400);
    expect(act.body.error.details).toEqual([
      { code: 'CREDENCE_E_USAGE', path: 'body.effectiveFrom', reason: 'is not a field of this request' },
    ]);
    const after = (await w.call('GET', '/v1/programs', w.keys.operator)).body.programs;
    expect(after.find((p: { program: string }) => p.program === 'marketplace').inForce).toBe(before);

    const issued = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'operator', name: 'Spare' });
    const revoke = await w.call('DELETE', `/v1/keys/${issued.body.key.keyId}`, w.keys.operator, {
      reason: 'leaked',
    });
    expect([revoke.status, revoke.body.error.details[0].path]).toEqual([400, 'body.reason']);
    expect(
      (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.find(
        (k: { keyId: string }) => k.keyId === issued.body.key.keyId,
      ).revokedAt,
    ).toBeNull();

    // Sent without a body, or with an empty object, the routes work as before.
    expect(
      (await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator, {})).status,
    ).toBe(200);
    expect((await w.call('DELETE', `/v1/keys/${issued.body.key.keyId}`, w.keys.operator)).status).toBe(200);
  });
});
