import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// `{subject}` takes up to 200 characters (/openapi.json: a subject id or a strong identifier, such
// as an e-mail address), but the router refused any path parameter over 100 before the route was
// found: a relying party asking about a 102-character e-mail address got 400 "'/v1/persons/…' is
// exceeding the max param length", naming no field, where the answer is the person's score or
// 404 CREDENCE_E_SUBJECT_NOT_FOUND. A parameter over its own limit is refused at the parameter.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a path parameter longer than 100 characters', () => {
  it('within its documented limit reaches the route; over it, is refused naming the parameter', async () => {
    const email = `${'a'.repeat(90)}@example.com`;
    expect(email.length).toBe(102);
    const within = await w.call(
      'GET',
      `/v1/persons/${encodeURIComponent(email)}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect([within.status, within.body.error.code]).toEqual([404, 'CREDENCE_E_SUBJECT_NOT_FOUND']);

    const over = await w.call(
      'GET',
      `/v1/persons/${'A'.repeat(201)}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(over.status).toBe(400);
    expect(over.body.error.details).toEqual([
      { code: 'CREDENCE_E_USAGE', path: 'params.subject', reason: 'must NOT have more than 200 characters' },
    ]);

    const record = await w.call('POST', `/v1/identity/reviews/${'R'.repeat(150)}`, w.keys.operator, {
      verdict: 'different',
      subjectId: 'P0000001',
    });
    expect([record.status, record.body.error.code]).toEqual([404, 'CREDENCE_E_NOT_FOUND']);
  });
});
