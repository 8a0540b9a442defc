import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A dispute must say why (the operator reinvestigates that reason within 20 days). An empty reason
// was refused, but one of spaces only ("   ") opened a dispute with nothing to reinvestigate. Both
// kinds of dispute refuse a blank reason by name, and nothing is opened.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('a dispute with a blank reason is refused', () => {
  it('fact and link disputes: 400 naming body.reason, no dispute opened', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const fact = file.facts[0];
    const link = file.identityLinks[0];
    expect(fact).toBeDefined();
    expect(link).toBeDefined();
    for (const reason of ['   ', '\t\n ']) {
      const f = await w.call('POST', '/v1/me/disputes', w.keys.person, {
        source: fact.source,
        factId: fact.id,
        reason,
      });
      const l = await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record: link.record, reason });
      for (const r of [f, l]) {
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
        expect(r.body.error.details).toEqual([
          { code: 'CREDENCE_E_USAGE', path: 'body.reason', reason: 'must not be blank' },
        ]);
      }
    }
    expect((await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes).toEqual([]);
    // A reason with words is taken.
    const ok = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact.source,
      factId: fact.id,
      reason: ' not mine ',
    });
    expect(ok.status).toBe(200);
  });
});
