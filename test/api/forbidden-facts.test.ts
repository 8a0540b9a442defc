import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A furnisher's facts naming another source, or recording a person's consent without the
// consent:write scope, are refused one by one inside a 200 answer. Those refusals were kept only in
// the import record (a table outside the hash chain) and as a count in facts.ingest: the audit log,
// where every other refusal is (auth.refused), did not say that a shop's key tried to send a court's
// judgment or an opt-out.

describe('facts refused to a furnisher key are in the audit log as auth.refused', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  it('names the key, the route, the code and each refused fact with its field and reason', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const keyId = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.find(
      (k: { role: string; source: string | null }) => k.role === 'furnisher' && k.source === 'shop',
    ).keyId as string;
    const facts = [
      {
        id: 'fx-1',
        source: 'court',
        type: 'court.judgment_unpaid',
        occurredAt: '2026-10-01T00:00:00Z',
        subject,
        data: { amount: 100 },
      },
      {
        id: 'fx-2',
        source: 'shop',
        type: 'credence.opt_out',
        occurredAt: '2026-10-01T00:00:00Z',
        subject,
        data: { program: 'marketplace' },
      },
    ];
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(r.status).toBe(200);
    const refusedHere = r.body.results.filter((x: { code?: string }) => x.code === 'CREDENCE_E_FORBIDDEN');
    expect(refusedHere).toHaveLength(2);
    const logged = (await w.api.ctx.audit.query({ actor: `key:${keyId}`, actions: ['auth.refused'] })).map(
      (e) => JSON.parse(e.detail),
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      method: 'POST',
      route: '/v1/facts',
      code: 'CREDENCE_E_FORBIDDEN',
      importId: r.body.importId,
      facts: refusedHere.map(
        (x: { index: number; source: string; id: string; field: string; reason: string }) => ({
          index: x.index,
          source: x.source,
          id: x.id,
          field: x.field,
          reason: x.reason,
        }),
      ),
    });
    // A batch with nothing forbidden adds no refusal.
    const fine = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        {
          ...facts[0],
          id: 'fx-3',
          source: 'shop',
          type: 'purchase.completed',
          data: { amount: 5, items: 1 },
        },
      ],
    });
    expect(fine.status).toBe(200);
    expect(await w.api.ctx.audit.query({ actor: `key:${keyId}`, actions: ['auth.refused'] })).toHaveLength(1);
  });
});
