import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// GET /v1/me/inquiries?since=… answered every inquiry, the `since` silently ignored, so a person
// took the whole list for a filtered one; every other route refuses a query field it does not
// take (`400 CREDENCE_E_USAGE`, naming it). The person's listings now do the same.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe("the person's listings refuse a query field they do not take", () => {
  it.each(['/v1/me/file', '/v1/me/inquiries', '/v1/me/disputes'])('%s?since=…', async (route) => {
    const plain = await w.call('GET', route, w.keys.person);
    expect(plain.status).toBe(200);
    const r = await w.call('GET', `${route}?since=2026-01-01T00:00:00Z`, w.keys.person);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(r.body.error.details[0].path).toBe('querystring.since');
  });
});
