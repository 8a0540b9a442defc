import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A court list's own correction takes a 15-day review and 3 working days (DOMAIN.md). Decided: a
// dispute of a court-furnished fact keeps Credence's 20 days (docs/api.md, "A court's fact keeps
// the same 20 days"): the court's procedure ends by then, and the API does not know a source's kind.
// The person was not told so: the route's description named only the PBoC's deadline.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const DAY = 86_400_000;

describe('a dispute of a court-furnished fact', () => {
  it('is due in 20 days, as the route describes for a court fact', async () => {
    // A court's feed: its own key, a dishonest-debtor listing of the person.
    const courtKey = (await w.api.ctx.auth.issue({ role: 'furnisher', name: 'Court', source: 'court' }))
      .token;
    const sent = await w.call('POST', '/v1/facts', courtKey, {
      facts: [
        {
          id: 'ct-1',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: '2026-10-01T00:00:00Z',
          subject: { subjectId: w.keys.personSubject },
          data: {
            court: "Rongcheng People's Court",
            case: '(2026) Lu 1082 Zhi 123',
            ground: 'refuses to perform',
          },
        },
      ],
    });
    expect(sent.body.results[0].status).toBe('accepted');
    const court = { id: 'ct-1' };
    const key = w.keys.person;
    const r = await w.call('POST', '/v1/me/disputes', key, {
      source: 'court',
      factId: court?.id,
      reason: 'the judgment was paid',
    });
    expect(r.status).toBe(200);
    expect(Date.parse(r.body.dueAt) - Date.parse(r.body.openedAt)).toBe(20 * DAY);

    const doc = (await w.call('GET', '/openapi.json')).body;
    const description: string = doc.paths['/v1/me/disputes'].post.description;
    expect(description).toContain('within 20 days');
    expect(description).toMatch(/court-furnished fact too/);
  });
});
