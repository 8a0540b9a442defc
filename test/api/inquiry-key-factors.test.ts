import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// What a relying party was told about a person includes the key factors sent with a score or a
// denial's notice: the person's inquiry list must show them (who, when, why, and what was disclosed),
// read from the sealed audit entry, not recomputed.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 40 });
});
afterAll(async () => w.dispose());

async function inquiriesOf(subject: string): Promise<any[]> {
  const token = (await w.api.ctx.auth.issue({ role: 'person', name: `P ${subject}`, subject })).token;
  const r = await w.call('GET', '/v1/me/inquiries', token);
  expect(r.status).toBe(200);
  return r.body.inquiries;
}

describe('an inquiry records the key factors sent', () => {
  it('a score sent with key factors, and a denial with a notice, list those factors in the person’s view', async () => {
    const subjects = (await w.api.ctx.app.store.subjectsPage('', 40)) as string[];
    let checkedScore = 0;
    let checkedDenial = 0;
    for (const subject of subjects) {
      const score = await w.call(
        'GET',
        `/v1/persons/${subject}/score?program=marketplace&purpose=credit`,
        w.keys.rp,
      );
      const decision = await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject,
        program: 'marketplace',
        policy: 'deposit-free-bike',
        purpose: 'tenancy',
      });
      const sentFactors = score.body.keyFactors as any[] | undefined;
      const notice = decision.body.notice;
      if (!(sentFactors?.length || notice)) continue;
      const list = await inquiriesOf(score.body.subject);
      const s = list.find((i) => i.action === 'score.query' && i.purpose === 'credit');
      const d = list.find((i) => i.action === 'decision.query' && i.purpose === 'tenancy');
      if (sentFactors?.length) {
        expect(s.sent.keyFactors).toEqual(sentFactors);
        for (const k of sentFactors) expect(s.what).toContain(k.text);
        checkedScore++;
      }
      if (notice) {
        expect(d.sent.keyFactors).toEqual(notice.keyFactors);
        for (const k of notice.keyFactors) expect(d.what).toContain(k.text);
        checkedDenial++;
      } else {
        // Nothing but the answer was sent: no factors are claimed.
        expect(d.sent).not.toHaveProperty('keyFactors');
      }
      if (checkedScore > 2 && checkedDenial > 2) break;
    }
    expect(checkedScore).toBeGreaterThan(0);
    expect(checkedDenial).toBeGreaterThan(0);
  });
});
