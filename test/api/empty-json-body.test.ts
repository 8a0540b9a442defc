import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Many HTTP clients label every POST `application/json`, with a body or not (a fetch wrapper's
// default headers). A person withdrawing their dispute that way, with no body, was refused: "the
// request body is not valid JSON: Body cannot be empty when content-type is set to
// 'application/json'", for a route that reads no body (docs/api.md: no body, or {}, is what they
// take). An empty body is no body; a route that needs one says so, naming the body.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const labelled = { 'content-type': 'application/json' };

describe('an empty body labelled application/json', () => {
  it('is no body for a route that reads none: a dispute is withdrawn, a key revoked', async () => {
    const fact = (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact?.source,
      factId: fact?.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    const withdrawn = await w.call(
      'POST',
      `/v1/me/disputes/${opened.body.id}/withdraw`,
      w.keys.person,
      '',
      labelled,
    );
    expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'withdrawn']);

    const issued = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'operator', name: 'Spare' });
    const revoked = await w.call(
      'DELETE',
      `/v1/keys/${issued.body.key.keyId}`,
      w.keys.operator,
      '',
      labelled,
    );
    expect([revoked.status, revoked.body.revoked]).toEqual([200, true]);
  });

  it('is refused, naming the body, by a route that reads one; nothing is done', async () => {
    const r = await w.call('POST', '/v1/me/consent', w.keys.person, '', labelled);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.details).toEqual([
      expect.objectContaining({ code: 'CREDENCE_E_USAGE', path: 'body' }),
    ]);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(file.consents).toEqual([]);
  });
});
