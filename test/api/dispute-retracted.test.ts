import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A person disputing a fact their file lists under retractedFacts was told "no fact shop/x in your
// file", which their file contradicts. The refusal says the fact was retracted (it counts nowhere,
// there is nothing to dispute) — and says no more than "not in your file" of another person's fact.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('disputing a retracted fact says it was retracted', () => {
  it('404 naming factId, in words; another person’s retracted fact gets the plain not-found', async () => {
    const at = (d: number) => new Date(w.clock.now - d * 86_400_000).toISOString();
    const mine = (id: string, subjectId: string) => ({
      id,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: at(3),
      subject: { subjectId },
      data: { amount: 5, items: 1 },
    });
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        mine('qa-ret-1', w.keys.personSubject),
        mine('qa-ret-2', w.keys.otherSubject),
        { id: 'qa-ret-3', source: 'shop', retracts: 'qa-ret-1', occurredAt: at(2) },
        { id: 'qa-ret-4', source: 'shop', retracts: 'qa-ret-2', occurredAt: at(2) },
      ],
    });
    expect(sent.body.counts.accepted).toBe(4);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(file.retractedFacts.map((f: any) => f.id)).toContain('qa-ret-1');

    const own = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: 'shop',
      factId: 'qa-ret-1',
      reason: 'not mine',
    });
    expect(own.status).toBe(404);
    expect(own.body.error.details[0].field).toBe('factId');
    expect(own.body.error.message).toMatch(/retracted/);
    expect(own.body.error.message).not.toMatch(/no fact .* in your file/);

    // Another person's retracted fact: the same answer as a fact that does not exist.
    const other = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: 'shop',
      factId: 'qa-ret-2',
      reason: 'x',
    });
    const none = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: 'shop',
      factId: 'qa-no-such-fact',
      reason: 'x',
    });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(none.body.error.message.replace('qa-no-such-fact', 'qa-ret-2'));
    expect((await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes).toEqual([]);
  });
});
