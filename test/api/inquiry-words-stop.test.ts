import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An inquiry's `what` is read by the person as prose. A key factor whose text is a sentence of its
// own (the notice's NO_SCORE: "… with your person token).") ended the inquiry with "..", after
// an opt-out: "… The key factors sent in the notice: Credence holds no score about you … token).."
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('an inquiry in words', () => {
  it('ends with one full stop, when a factor sent is a sentence of its own', async () => {
    const opt = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(opt.status).toBe(200);
    const d = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'credit',
    });
    expect(d.body.notice.keyFactors[0].text).toMatch(/\.$/);
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries;
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body.inquiries;
    const asked = [...list, ...file].filter((i: { action: string }) => i.action === 'decision.query');
    expect(asked.length).toBe(2);
    for (const i of asked) {
      expect(i.what).toContain(d.body.notice.keyFactors[0].text.slice(0, -1));
      expect(i.what).not.toMatch(/\.\.(\s|$)/);
      expect(i.what).toMatch(/[^.]\.$/);
    }
  });
});
