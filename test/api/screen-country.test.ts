import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// `credence screen --country CNH` is refused (exit 2); POST /v1/screen took the same slip, did not
// compare it, and answered as if no country had been given: the relying party never learnt that
// its qualifier was dropped. It is refused the same way now, naming the field and the value.

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
});
afterAll(() => w.dispose());

const screen = (country: string) =>
  w.call('POST', '/v1/screen', w.keys.rp, { name: 'Wang Wei', country, purpose: 'tenancy' });

describe('POST /v1/screen country', () => {
  it('refuses a code of no country with 400 naming the field and the value', async () => {
    for (const country of ['CNH', 'ZZ', 'XY', '中国', '1']) {
      const r = await screen(country);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
      expect(r.body.error.details[0].field).toBe('country');
      expect(r.body.error.message).toContain(`"${country}"`);
    }
  });

  it('takes the codes the CLI takes: ISO two and three letters, ICAO own, any case', async () => {
    for (const country of ['CN', 'cn', 'CHN', 'D', 'GBN', 'XK', 'RKS']) {
      const r = await screen(country);
      expect(r.status, `${country}: ${JSON.stringify(r.body)}`).toBe(200);
    }
  });

  it('says so in the OpenAPI description', async () => {
    const r = await w.call('GET', '/openapi.json');
    const op = r.body.paths['/v1/screen'].post;
    expect(op.description).toMatch(/country.*400/);
  });
});
