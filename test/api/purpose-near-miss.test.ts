import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A purpose is matched exactly: "Tenancy" or "tenancy " is not the key's "tenancy", and the query
// is refused (nothing read, no inquiry). The refusal listed the key's purposes but did not say
// that the one sent differs only in case or spaces, which a client cannot see in `"tenancy "`.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const near = ['Tenancy', 'TENANCY', ' tenancy', 'tenancy ', ' Tenancy\t'];

describe('a purpose that differs from a permitted one only in case or spaces', () => {
  it('is refused on every relying-party route, naming the purpose it resembles; no inquiry is kept', async () => {
    const subject = w.keys.personSubject;
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    for (const purpose of near) {
      const asked = [
        await w.call(
          'GET',
          `/v1/persons/${subject}/score?program=marketplace&purpose=${encodeURIComponent(purpose)}`,
          w.keys.rp,
        ),
        await w.call('POST', '/v1/decisions', w.keys.rp, {
          subject,
          program: 'marketplace',
          policy: 'deposit-free-bike',
          purpose,
        }),
        await w.call('POST', '/v1/screen', w.keys.rp, { name: 'Wang Wei', purpose }),
      ];
      for (const r of asked) {
        expect([purpose, r.status, r.body.error.code]).toEqual([purpose, 403, 'CREDENCE_E_PURPOSE']);
        expect(r.body.error.message).toContain(JSON.stringify(purpose));
        expect(r.body.error.message).toContain('did you mean "tenancy"');
      }
    }
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    expect(after).toBe(before);
  });

  it("a purpose like none of the key's is refused without a guess", async () => {
    const r = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=marketing`,
      w.keys.rp,
    );
    expect(r.status).toBe(403);
    expect(r.body.error.message).not.toContain('did you mean');
  });
});
