import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A query parameter sent twice is named as such (query-param-repeated.test.ts) when it is text; a
// number sent twice (`?limit=5&limit=6`) was told it "must be integer", which both values were.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a numeric query parameter given twice', () => {
  it('is named as given more than once', async () => {
    for (const [url, key] of [
      ['/v1/me/inquiries?limit=5&limit=6', w.keys.person],
      ['/v1/me/inquiries?after=1&after=2', w.keys.person],
      ['/v1/keys?limit=1&limit=2', w.keys.operator],
    ] as const) {
      const r = await w.call('GET', url, key);
      expect([url, r.status]).toEqual([url, 400]);
      expect(r.body.error.details[0].reason).toContain('more than once');
    }
  });

  it('a number that is not one is still told so', async () => {
    const r = await w.call('GET', '/v1/me/inquiries?limit=abc', w.keys.person);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ path: 'querystring.limit' });
    expect(r.body.error.details[0].reason).toContain('whole number in plain decimal digits');
  });
});
