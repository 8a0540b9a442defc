import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// POST /v1/me/consent told the person that after an opt-out "from then on every query about you
// answers not-scored", as if the months before it could still be asked about. They cannot: a
// query as of any date, before the opt-out too, answers not-scored, and an opt-in scores only what
// happens after it. The description says what the server does.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('the opt-out, as /openapi.json describes it and as the server answers', () => {
  it('dates before the opt-out answer not-scored, and the description says so', async () => {
    const subject = w.keys.personSubject;
    const before = new Date(w.clock.now - 30 * 86_400_000).toISOString();
    const ask = () =>
      w.call(
        'GET',
        `/v1/persons/${subject}/score?program=marketplace&purpose=credit&asOf=${before}`,
        w.keys.rp,
      );
    expect((await ask()).body.status).toBe('scored');
    const out = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(out.status).toBe(200);
    expect((await ask()).body).toMatchObject({ status: 'not-scored' });
    // Why is the person's to read (a relying party is not told of the opt-out).
    const own = await w.call('GET', `/v1/me/scores/marketplace?asOf=${before}`, w.keys.person);
    expect(own.body).toMatchObject({ status: 'not-scored', reason: 'opted-out' });

    const doc = (await w.call('GET', '/openapi.json')).body;
    const description: string = doc.paths['/v1/me/consent'].post.description;
    expect(description).not.toMatch(/from then on/);
    expect(description).toMatch(/before the opt-out/);
    expect(description).toMatch(/only what happens after/);
  });
});
