import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// When no score exists the person reads `why` in words. The words were written for a person out of
// the program now, but an as-of is answered by the consent history (docs/policy.md §3): a person who
// opted out and back in is told, for a date before their new opt-in, "you may opt in again" — they
// have — and one who joined an opt-in program is told, for a date before joining, that they "have
// not" joined. Each `why` must stay true for the date asked, whatever the person did since.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const DAY = 86_400_000;

async function consent(program: string, action: 'opt-out' | 'opt-in'): Promise<void> {
  const r = await w.call('POST', '/v1/me/consent', w.keys.person, { program, action });
  expect(r.status).toBe(200);
}

async function why(
  program: string,
  asOf: number,
): Promise<{ reason: string; why: string; enrolment: string }> {
  const at = new Date(asOf).toISOString();
  const own = await w.call('GET', `/v1/me/scores/${program}?asOf=${at}`, w.keys.person);
  const ex = await w.call('GET', `/v1/me/explanations/${program}?asOf=${at}`, w.keys.person);
  expect([own.status, ex.status]).toEqual([200, 200]);
  // The explanation gives the same words as the score.
  expect(ex.body.outcome.why).toBe(own.body.why);
  return { reason: own.body.reason, why: own.body.why, enrolment: ex.body.enrolment };
}

describe("a not-scored answer's why stays true for the date asked", () => {
  it('after an opt-out and a new opt-in, a date before the opt-in does not tell them to opt in again', async () => {
    const start = w.clock.now;
    w.clock.now = start + DAY;
    await consent('marketplace', 'opt-out');
    w.clock.now = start + 2 * DAY;
    await consent('marketplace', 'opt-in');
    const before = await why('marketplace', start);
    expect(before.reason).toBe('opted-out');
    // Enrolment as of that date reads as out (policy §3), though today they are in.
    expect((await why('marketplace', w.clock.now)).enrolment).toBe('opted-in');
    // They opted in already: the words must not ask them to, as if they were still out.
    expect(before.why).not.toMatch(/you may opt in again/i);
    expect(before.why).toMatch(/opted out/);
  });

  it('after joining an opt-in program, a date before joining does not say they have not joined', async () => {
    const joined = w.clock.now + DAY;
    w.clock.now = joined;
    await consent('city-civic', 'opt-in');
    const before = await why('city-civic', joined - DAY);
    expect(before.reason).toBe('not-enrolled');
    expect(before.why).not.toMatch(/you have not\b/i);
    // Scored from the joining on, as the program says.
    const after = await w.call('GET', '/v1/me/scores/city-civic', w.keys.person);
    expect(after.body.status).toBe('scored');
  });
});
