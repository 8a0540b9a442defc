import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An identifier two people hold (one's national_id "SHOP:AMB77", the other's account
// "shop:amb77") is refused as `{subject}` with 409 CREDENCE_E_SUBJECT_AMBIGUOUS by the score, the
// decision and a person key's issue, but /openapi.json declared no 409 for any of them: a client
// generated from it had no type for the answer, and /docs did not list it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const fact = (id: string, subject: Record<string, string>) => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: '2026-10-01T00:00:00Z',
  subject,
  data: { amount: 1, items: 1 },
});

describe('a subject two people answer to', () => {
  it('is 409 CREDENCE_E_SUBJECT_AMBIGUOUS, which each route taking a subject declares', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        fact('amb-1', { given_name: 'Qiang', surname: 'Sun', national_id: 'SHOP:AMB77' }),
        fact('amb-2', { given_name: 'Lei', surname: 'Wu', account: 'shop:amb77' }),
      ],
    });
    expect(sent.body.counts.accepted).toBe(2);
    const doc = (await w.call('GET', '/openapi.json')).body;
    const asked = [
      [
        'GET',
        '/v1/persons/{subject}/score',
        await w.call('GET', '/v1/persons/shop:AMB77/score?program=marketplace&purpose=credit', w.keys.rp),
      ],
      [
        'POST',
        '/v1/decisions',
        await w.call('POST', '/v1/decisions', w.keys.rp, {
          subject: 'shop:AMB77',
          program: 'marketplace',
          policy: 'deposit-free-bike',
          purpose: 'credit',
        }),
      ],
      [
        'POST',
        '/v1/keys',
        await w.call('POST', '/v1/keys', w.keys.operator, {
          role: 'person',
          name: 'x',
          subject: 'shop:AMB77',
        }),
      ],
    ] as const;
    for (const [method, path, r] of asked) {
      expect([path, r.status, r.body.error.code]).toEqual([path, 409, 'CREDENCE_E_SUBJECT_AMBIGUOUS']);
      expect([path, Object.keys(doc.paths[path][method.toLowerCase()].responses)]).toEqual([
        path,
        expect.arrayContaining(['409']),
      ]);
    }
  });
});
