import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toInquiry } from '../../src/api/services/person-file-service.js';
import { sealEntry } from '../../src/audit/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A decision inquiry's entry keeps the score the decision was made on, and the file lists it among
// the scores sent; its sentence said only "it does (not) apply", so the person could not tell which
// score judged them, nor that a refusal's notice gave the relying party the number itself.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('a decision inquiry in words names the score it was decided on', () => {
  it('every scored decision says its score and tier; a denial says the number was sent', async () => {
    const subject = w.keys.personSubject;
    const program = w.api.ctx.programs.at('marketplace', w.clock.now);
    const policies = [...program.privileges, ...program.restrictions].map((p) => p.id);
    const answers = [];
    for (const policy of policies) {
      const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject,
        program: 'marketplace',
        policy,
        purpose: 'credit',
      });
      expect(r.status).toBe(200);
      answers.push(r.body);
    }
    const scored = answers.filter((a) => a.status === 'scored');
    expect(scored.length).toBeGreaterThan(0);
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.filter(
      (i: { action: string }) => i.action === 'decision.query',
    );
    expect(list).toHaveLength(answers.length);
    for (const [k, i] of list.entries()) {
      const a = answers[k];
      expect(i.sent.policy).toBe(a.policy);
      if (a.status !== 'scored') continue;
      expect(i.what).toContain(`decided on your score ${i.sent.score}, tier ${i.sent.tier}`);
      if (a.denied) {
        // The notice the relying party got carried the number: the sentence says so.
        expect(a.notice.score).toBe(i.sent.score);
        expect(i.what).toMatch(/which they were sent with the reasons/);
      } else {
        expect(a.notice).toBeUndefined();
        expect(i.what).not.toMatch(/which they were sent/);
      }
    }
  });
});

describe('a screening hit in words', () => {
  it('says the purpose and that it was a name match, not a score', () => {
    const e = sealEntry(
      {
        at: 0,
        actor: 'key:k1',
        action: 'screen.query',
        subject: 'P1',
        purpose: 'tenancy',
        detail: { flags: ['dishonest-debtor'], score: 0.92 },
      },
      0,
      '0'.repeat(64),
    );
    const i = toInquiry(e, new Map([['k1', 'Acme']]));
    expect(i.what).toBe(
      'Acme checked a name against the lists for the purpose "tenancy", and your record came up as a possible match (name match 0.92 out of 1; dishonest-debtor).',
    );
  });
});
