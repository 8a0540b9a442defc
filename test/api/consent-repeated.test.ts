import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An opt-out sent again (a client retrying after a timeout, a double click, three sent at once)
// recorded a new consent fact each time: the person's file listed three opt-outs for one choice,
// and a relying party's audit of it three changes. A change to what the person's consent already
// is records nothing new: the answer is the standing change (`unchanged: true`), whether the
// requests come one after another or at once. A real change (opt-in after it) is recorded as before.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const optOut = () =>
  w.call('POST', '/v1/me/consent', w.keys.person, { program: 'marketplace', action: 'opt-out' });
const consents = async () =>
  (await w.call('GET', '/v1/me/file', w.keys.person)).body.consents.filter(
    (c: { program: string }) => c.program === 'marketplace',
  );

describe('the same consent change sent again', () => {
  it('at once or after: one consent fact, the others answered with it', async () => {
    const before = (await consents()).length;
    const answers = await Promise.all([optOut(), optOut(), optOut()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const ids = new Set(answers.map((a) => a.body.factId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.unchanged === true)).toHaveLength(2);
    const again = await optOut();
    expect([again.status, again.body.unchanged, again.body.factId]).toEqual([200, true, [...ids][0]]);
    expect(await consents()).toHaveLength(before + 1);

    const back = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-in',
    });
    expect([back.status, back.body.unchanged]).toEqual([200, false]);
    expect(await consents()).toHaveLength(before + 2);
  });
});
