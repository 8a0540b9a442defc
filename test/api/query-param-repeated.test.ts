import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// `?purpose=tenancy&purpose=credit` was refused "querystring.purpose must be string": the relying
// party had sent two strings, and nothing said the parameter was repeated.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a query parameter given twice', () => {
  it('is refused saying it was given more than once, at the parameter', async () => {
    const s = w.keys.personSubject;
    for (const [url, key, param] of [
      [`/v1/persons/${s}/score?program=marketplace&purpose=tenancy&purpose=credit`, w.keys.rp, 'purpose'],
      [`/v1/persons/${s}/score?program=marketplace&program=city-civic&purpose=tenancy`, w.keys.rp, 'program'],
      ['/v1/me/scores/marketplace?asOf=2026-11-01&asOf=2026-11-02', w.keys.person, 'asOf'],
    ] as const) {
      const r = await w.call('GET', url, key);
      expect([url, r.status]).toEqual([url, 400]);
      expect(r.body.error.details).toEqual([
        {
          code: 'CREDENCE_E_USAGE',
          path: `querystring.${param}`,
          reason: 'is given more than once; give it once',
        },
      ]);
    }
  });
});
