import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, activateRulebook, exampleWith, makeApiWorld } from './api-world.js';

// PBoC: a third party's query needs the person's written consent (DOMAIN.md). A program may now
// declare it (`inquiries: { authorisation: required }`): a query that names no authorisation is
// refused before the person is looked up, and one that names it is kept in the inquiry the person
// reads, so an authorisation they never gave is theirs to contest.
const REQUIRED = exampleWith(
  0,
  /^program: marketplace$/m,
  'program: marketplace\ninquiries: { authorisation: required }',
);

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
  await activateRulebook(w, REQUIRED);
});
afterAll(async () => w.dispose());

const subject = () => w.keys.personSubject;
const score = (program: string, authorisation?: string) =>
  w.call(
    'GET',
    `/v1/persons/${subject()}/score?program=${program}&purpose=credit${
      authorisation !== undefined ? `&authorisation=${encodeURIComponent(authorisation)}` : ''
    }`,
    w.keys.rp,
  );
const decide = (authorisation?: string) =>
  w.call('POST', '/v1/decisions', w.keys.rp, {
    subject: subject(),
    program: 'marketplace',
    policy: 'deposit-free-bike',
    purpose: 'credit',
    ...(authorisation !== undefined ? { authorisation } : {}),
  });

describe("a program whose inquiries need the person's authorisation", () => {
  it('refuses a query that names none, before anything about the person is read', async () => {
    const before = (await w.api.ctx.audit.query({ subject: subject() })).length;
    for (const r of [await score('marketplace'), await decide(), await score('marketplace', '   ')]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('CREDENCE_E_FORBIDDEN');
      expect(r.body.error.message).toContain('marketplace');
      expect(r.body.error.details[0]).toMatchObject({ field: 'authorisation' });
    }
    expect((await w.api.ctx.audit.query({ subject: subject() })).length).toBe(before);
    // A program that declares nothing is asked as before.
    expect((await score('city-civic')).status).toBe(200);
  });

  it('answers a query that names it, and the person reads the reference in the inquiry', async () => {
    expect((await score('marketplace', 'SMS-2026-11-0042')).status).toBe(200);
    expect((await decide('form-7781')).status).toBe(200);
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries as any[];
    const s = list.find((i) => i.sent.authorisation === 'SMS-2026-11-0042');
    const d = list.find((i) => i.sent.authorisation === 'form-7781');
    expect(s?.action).toBe('score.query');
    expect(d?.action).toBe('decision.query');
    expect(s.what).toContain('SMS-2026-11-0042');
    expect(d.what).toContain('form-7781');
  });
});
