import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An inquiry's `what` is the one plain sentence a person reads about it. It named the date the
// relying party asked about as machine text ("as of 2026-03-05T14:30:00.000Z"), which a person does
// not read as a date. The `asOf` field keeps the ISO 8601 text; the sentence says the date in words.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('an inquiry in words gives its date in words', () => {
  it('score and decision inquiries say "5 March 2026, 14:30 UTC", not ISO text', async () => {
    const subject = w.keys.personSubject;
    const asOf = '2026-03-05T14:30:00Z';
    const score = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=credit&asOf=${asOf}`,
      w.keys.rp,
    );
    expect(score.status).toBe(200);
    const decision = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject,
      program: 'city-civic',
      policy: w.api.ctx.programs.at('city-civic', w.clock.now).privileges[0]?.id,
      purpose: 'tenancy',
      asOf: '2026-10-01T09:05:07Z',
    });
    expect(decision.status).toBe(200);
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries;
    const [s, d] = [list.at(-2), list.at(-1)];
    expect([s.action, d.action]).toEqual(['score.query', 'decision.query']);
    // The fields keep the exact instant as ISO text ...
    expect(s.sent.asOf).toBe('2026-03-05T14:30:00.000Z');
    // ... the sentence says it in words.
    expect(s.what).toContain('as of 5 March 2026, 14:30 UTC');
    expect(d.what).toContain('as of 1 October 2026, 09:05:07 UTC');
    for (const i of list) expect(i.what).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
