import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A GET's body is never read (Fastify parses none for GET). A relying party that put its purpose
// in the body of a score query was told to "state the purpose", which it had, in the body; a
// person's `limit` sent so was ignored. The body is refused by name, pointing at the query string.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a GET sent with a body', () => {
  it('is refused naming the body and the query string, and no inquiry is logged', async () => {
    const subject = w.keys.personSubject;
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    const r = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace`,
      w.keys.rp,
      JSON.stringify({ purpose: 'credit' }),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(r.body.error.details[0]).toMatchObject({ path: 'body' });
    expect(r.body.error.message).toContain('query string');
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    expect(after).toBe(before);
  });

  it('an empty body is no body', async () => {
    const r = await w.call('GET', '/v1/me/disputes', w.keys.person, '', { 'content-length': '0' });
    expect(r.status).toBe(200);
  });
});
