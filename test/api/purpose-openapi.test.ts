import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A relying party must state a purpose on every score, decision and screening query, else 403
// CREDENCE_E_PURPOSE (refused and logged, not a schema error, so the field stays optional in the
// schema). /openapi.json described `purpose` as an optional string with no word more: a client
// generated from it, or a developer reading /docs, learnt nothing of the rule until refused.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('/openapi.json says a relying party must state a purpose', () => {
  it('score (query), decision and screen (body): purpose is described as needed, with the refusal', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const score = doc.paths['/v1/persons/{subject}/score'].get.parameters.find(
      (p: any) => p.name === 'purpose',
    );
    const bodies = ['/v1/decisions', '/v1/screen'].map(
      (p) => doc.paths[p].post.requestBody.content['application/json'].schema.properties.purpose,
    );
    for (const p of [score, ...bodies]) {
      expect(p.description).toMatch(/required/i);
      expect(p.description).toContain('CREDENCE_E_PURPOSE');
    }
    // And the server does as described: without one, 403 CREDENCE_E_PURPOSE.
    const none = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace`,
      w.keys.rp,
    );
    expect([none.status, none.body.error.code]).toEqual([403, 'CREDENCE_E_PURPOSE']);
  });
});
