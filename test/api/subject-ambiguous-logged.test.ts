import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A 409 for an identifier two people hold was a read of who holds it with no trace: the answer names
// no one (as it must), and the log held no entry either. Now each person holding it gets an entry
// filed under them naming the caller, and no entry (nor the answer) names the other person.
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
  it('is logged under each of them, naming the caller and never the other person', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        fact('amb-1', { given_name: 'Qiang', surname: 'Sun', national_id: 'SHOP:AMB77' }),
        fact('amb-2', { given_name: 'Lei', surname: 'Wu', account: 'shop:amb77' }),
      ],
    });
    expect(sent.body.counts.accepted).toBe(2);
    // Each one by an identifier only they hold.
    const b = (await w.api.ctx.app.store.subjectsByIdentifierValue('shop:amb77', ['account']))[0] as string;
    expect(b).toMatch(/^P/);
    const both = new Set(await w.api.ctx.app.store.subjectsByIdentifierValue('SHOP:AMB77', ['national_id']));
    expect(both.size).toBe(1);
    const aId = [...both][0] as string;
    expect(aId).not.toBe(b);
    const rpId = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.find(
      (k: any) => k.name === 'Acme Rentals',
    ).keyId as string;
    const r = await w.call(
      'GET',
      '/v1/persons/shop:AMB77/score?program=marketplace&purpose=credit',
      w.keys.rp,
    );
    expect([r.status, r.body.error.code]).toEqual([409, 'CREDENCE_E_SUBJECT_AMBIGUOUS']);
    expect(JSON.stringify(r.body)).not.toContain(aId);
    expect(JSON.stringify(r.body)).not.toContain(b);
    for (const [me, other] of [
      [aId, b],
      [b, aId],
    ] as const) {
      const entries = await w.api.ctx.audit.query({ subject: me, actions: ['subject.ambiguous'] });
      expect(entries).toHaveLength(1);
      const e = entries[0];
      expect(e?.actor).toBe(`key:${rpId}`);
      expect(e?.purpose).toBe('credit');
      const detail = JSON.parse(e?.detail as string);
      expect(detail).toMatchObject({
        code: 'CREDENCE_E_SUBJECT_AMBIGUOUS',
        people: 2,
        route: '/v1/persons/:subject/score',
      });
      expect(e?.detail).not.toContain(other);
    }
  });
});
