import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// GET /v1/me/inquiries returned every inquiry ever made in one answer, with no way to page through
// a long list. It now takes `limit` and `after` (the `seq` of the last one read) and says where the
// next page starts (`next`): pages read one after the other give the whole list, once each.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
  for (let i = 0; i < 7; i++)
    await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=${i % 2 ? 'credit' : 'tenancy'}`,
      w.keys.rp,
    );
});
afterAll(async () => w.dispose());

describe('the inquiry list in pages', () => {
  it('pages of any size read in turn give the whole list, in order, once each', async () => {
    const all = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body;
    expect(all.inquiries.length).toBe(7);
    expect(all).not.toHaveProperty('next');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), async (limit) => {
        const seen: unknown[] = [];
        let after: number | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const r = await w.call(
            'GET',
            `/v1/me/inquiries?limit=${limit}${after !== undefined ? `&after=${after}` : ''}`,
            w.keys.person,
          );
          expect(r.status).toBe(200);
          expect(r.body.inquiries.length).toBeLessThanOrEqual(limit);
          seen.push(...r.body.inquiries);
          if (r.body.next === undefined) break;
          expect(r.body.next).toBe(r.body.inquiries.at(-1).seq);
          after = r.body.next;
        }
        expect(seen).toEqual(all.inquiries);
      }),
      { numRuns: 8 },
    );
  });

  it('refuses a limit out of range by name', async () => {
    for (const q of ['limit=0', 'limit=100001', 'after=-1', 'limit=x']) {
      const r = await w.call('GET', `/v1/me/inquiries?${q}`, w.keys.person);
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'CREDENCE_E_USAGE']);
    }
  });
});
