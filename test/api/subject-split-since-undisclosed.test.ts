import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, mergedThenSplit } from './api-world.js';

// An id merged into a person who was split since names no one person: 409. The answer said
// `"P3" was merged into P4, which was split since (P5)`, so a relying party holding an old id
// learnt the current ids of other people, and nothing of it was logged. Now the answer names no
// one but the id asked, and the refusal is logged under each person the id may name now.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('an id merged into a person split since', () => {
  it('is refused without naming anyone else, and logged under each person it may name', async () => {
    const { absorbed, survivor } = await mergedThenSplit(w);
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
    expect(logged.map((e) => e.subject)).toContain(survivor);
    for (const e of logged)
      expect((e.detail.match(/P\d{7}/g) ?? []).filter((id) => id !== absorbed)).toEqual([]);
  });
});
