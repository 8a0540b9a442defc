import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Opting out of an opt-in program the person never joined (city-civic) answered as any opt-out
// did, `unchanged: false` and nothing else: the person read that something about their scoring
// changed, though they were never scored there and no ledger was deleted. What is true: the
// opt-out is recorded (a consent fact in their file; their reason turns from not-enrolled to
// opted-out), and they were not in the program. The answer says so (`wasEnrolled: false`).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const change = (program: string, action: string) =>
  w.call('POST', '/v1/me/consent', w.keys.person, { program, action });
const reason = async (program: string) =>
  (await w.call('GET', `/v1/me/scores/${program}`, w.keys.person)).body.reason;

describe('an opt-out of a program the person is not in', () => {
  it('is recorded, and says they were not enrolled', async () => {
    expect(await reason('city-civic')).toBe('not-enrolled');
    const out = await change('city-civic', 'opt-out');
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({
      program: 'city-civic',
      action: 'opt-out',
      unchanged: false,
      wasEnrolled: false,
    });
    expect(await reason('city-civic')).toBe('opted-out');
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(file.consents.filter((c: { program: string }) => c.program === 'city-civic')).toHaveLength(1);
  });

  it('of a program they are in (opt-out enrolment, or joined) says they were', async () => {
    const out = await change('marketplace', 'opt-out');
    expect(out.body).toMatchObject({ unchanged: false, wasEnrolled: true });
    // Joined after leaving, then out again: they were in when it came.
    await change('city-civic', 'opt-in');
    w.clock.now += 1000;
    const again = await change('city-civic', 'opt-out');
    expect(again.body).toMatchObject({ unchanged: false, wasEnrolled: true });
  });

  it('an opt-in answer carries no wasEnrolled', async () => {
    w.clock.now += 1000;
    const back = await change('marketplace', 'opt-in');
    expect(back.status).toBe(200);
    expect(back.body.wasEnrolled).toBeUndefined();
  });
});
