import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A dispute suspends its fact while open (`disputes.suspend`). Rejected, the fact counted again,
// but the person could open a new dispute of it at once, and again after each rejection: a
// court-listed debtor kept a court-ordered travel ban lifted (`no-flights` answered holds: false
// to relying parties) for as long as they kept disputing. A fact whose dispute was rejected is not
// suspended again by a new one: it is refused, naming the earlier dispute and where to turn.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('a fact disputed again after its dispute was rejected', () => {
  it('is refused (409 CREDENCE_E_STATE, naming the rejected dispute) and is not suspended again', async () => {
    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    const fact = file.body.facts.find((f: { source: string }) => f.source !== 'credence');
    const body = { source: fact.source, factId: fact.id, reason: 'not mine' };
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, body);
    expect(opened.status).toBe(200);
    const rejected = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'the furnisher confirmed it',
    });
    expect(rejected.status).toBe(200);
    w.clock.now += 60_000;

    const again = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      ...body,
      reason: 'still not mine',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CREDENCE_E_STATE');
    expect(again.body.error.message).toContain(opened.body.id);
    expect(again.body.error.message).toContain(fact.source);

    const mine = (await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes;
    expect(mine.filter((d: { status: string }) => d.status === 'open')).toHaveLength(0);
    const ex = await w.call('GET', '/v1/me/explanations/marketplace', w.keys.person);
    expect(ex.body.underDispute).toEqual([]);
  });
});
