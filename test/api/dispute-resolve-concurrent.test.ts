import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Two answers to one fact dispute sent at once were both taken: each found the dispute open, the
// upheld one retracted the fact while the other answer's status was written last, so the desk
// showed `rejected` for a fact retracted everywhere; two `upheld` both answered 200 and left two
// `dispute.resolve` entries (and lifted the fact's mark twice). The first answer is now taken and
// the second finds it closed: 409 CREDENCE_E_STATE, as for link disputes.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

async function openDispute(id: string): Promise<string> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      {
        id,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: new Date(w.clock.now - 3 * 86_400_000).toISOString(),
        subject: { subjectId: w.keys.personSubject },
        data: { amount: 5, items: 1 },
      },
    ],
  });
  expect(sent.body.counts.accepted).toBe(1);
  const d = await w.call('POST', '/v1/me/disputes', w.keys.person, {
    source: 'shop',
    factId: id,
    reason: 'not mine',
  });
  expect(d.status).toBe(200);
  return d.body.id as string;
}

const resolve = (id: string, outcome: string) =>
  w.call('POST', `/v1/disputes/${id}/resolve`, w.keys.operator, { outcome, note: `answer ${outcome}` });

async function resolutions(id: string): Promise<number> {
  const entries = await w.api.ctx.audit.query({ actions: ['dispute.resolve'] });
  return entries.filter((e) => (JSON.parse(e.detail) as { dispute?: string }).dispute === id).length;
}

describe('two answers to one fact dispute at once', () => {
  it('upheld and rejected: the first is taken, the second is 409, and the fact follows the first', async () => {
    const id = await openDispute('qa-race-1');
    const [a, b] = await Promise.all([resolve(id, 'upheld'), resolve(id, 'rejected')]);
    expect([a.status, b.status]).toEqual([200, 409]);
    expect(b.body.error.code).toBe('CREDENCE_E_STATE');
    const desk = (await w.call('GET', '/v1/disputes', w.keys.operator)).body.disputes.find(
      (d: { id: string }) => d.id === id,
    );
    expect(desk.status).toBe('upheld');
    const held = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'qa-race-1' }])).get(
      'shop/qa-race-1',
    );
    expect(held?.retracted).toBe(true);
    expect(await resolutions(id)).toBe(1);
  });

  it('rejected then upheld: the fact is not retracted behind a rejected dispute', async () => {
    const id = await openDispute('qa-race-2');
    const [a, b] = await Promise.all([resolve(id, 'rejected'), resolve(id, 'upheld')]);
    expect([a.status, b.status]).toEqual([200, 409]);
    const held = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'qa-race-2' }])).get(
      'shop/qa-race-2',
    );
    expect(held?.retracted).toBe(false);
    expect(await resolutions(id)).toBe(1);
  });

  it('the same answer twice: one 200, one 409, one audit entry', async () => {
    const id = await openDispute('qa-race-3');
    const [a, b] = await Promise.all([resolve(id, 'upheld'), resolve(id, 'upheld')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await resolutions(id)).toBe(1);
  });
});
