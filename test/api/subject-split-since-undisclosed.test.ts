import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePersons, splitRecords } from '../../src/ingest/resolve/identity-ops.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An id merged into a person who was split since names no one person: 409. The answer said
// `"P3" was merged into P4, which was split since (P5)`, so a relying party holding an old id
// learnt the current ids of other people, and nothing of it was logged. Now the answer names no
// one but the id asked, and the refusal is logged under each person the id may name now.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const fact = (id: string, subject: object) => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: '2026-10-01T00:00:00Z',
  subject,
  data: { amount: 1, items: 1 },
});

describe('an id merged into a person split since', () => {
  it('is refused without naming anyone else, and logged under each person it may name', async () => {
    await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        fact('m-1', { given_name: 'Fang', surname: 'Gao', phone: '+8613900000001' }),
        fact('m-2', { given_name: 'Yan', surname: 'Lu', phone: '+8613900000002' }),
      ],
    });
    const store = w.api.ctx.app.store;
    const programs = w.api.ctx.programs.current;
    const held = await store.findFacts([
      { source: 'shop', id: 'm-1' },
      { source: 'shop', id: 'm-2' },
    ]);
    const a = held.get('shop/m-1')?.subject as string;
    const b = held.get('shop/m-2')?.subject as string;
    const merged = await mergePersons(store, programs, a, b, 'same person');
    const absorbed = merged.subjectId === a ? b : a;
    const own = (await store.identityRecordsOf(merged.subjectId)).find(
      (r) => (JSON.parse(r.link) as { subjectId?: string }).subjectId === merged.subjectId,
    );
    await splitRecords(store, programs, [own?.recordId as string], 'different people');
    const r = await w.call(
      'GET',
      `/v1/persons/${absorbed}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect([r.status, r.body.error.code]).toEqual([409, 'CREDENCE_E_SUBJECT_AMBIGUOUS']);
    const text = JSON.stringify(r.body);
    const others = (text.match(/P\d{7}/g) ?? []).filter((id) => id !== absorbed);
    expect(others).toEqual([]);
    const logged = await w.api.ctx.audit.query({ actions: ['subject.ambiguous'] });
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(logged.map((e) => e.subject)).toContain(merged.subjectId);
    for (const e of logged)
      expect((e.detail.match(/P\d{7}/g) ?? []).filter((id) => id !== absorbed)).toEqual([]);
  });
});
