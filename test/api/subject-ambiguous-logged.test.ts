import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, twoPeopleOneIdentifier } from './api-world.js';

// A 409 for an identifier two people hold was a read of who holds it with no trace: the answer names
// no one (as it must), and the log held no entry either. Now each person holding it gets an entry
// filed under them naming the caller, and no entry (nor the answer) names the other person.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a subject two people answer to', () => {
  it('is logged under each of them, naming the caller and never the other person', async () => {
    // Each one by an identifier only they hold.
    const { nationalIdHolder: aId, accountHolder: b } = await twoPeopleOneIdentifier(w);
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
