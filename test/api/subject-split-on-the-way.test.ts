import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePersons, splitRecords } from '../../src/ingest/resolve/identity-ops.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// B merged into A, B's record split off A (to N), then A merged into C: B's id leads through the
// merges to C, who does not hold B's records (N does). Following the merges forgot A's split at
// the later merge, so a relying party asking about B was answered with C's score (200). The id
// names no one person: 409, as when the person it ends at was split itself.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('an id whose survivor was split and then merged on', () => {
  it('names no one person: refused 409, not answered with the last survivor’s score', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        shopFact('w-c', { given_name: 'Hui', surname: 'Zhou', phone: '+8613900000031' }),
        shopFact('w-a', { given_name: 'Min', surname: 'Xu', phone: '+8613900000032' }),
        shopFact('w-b', { given_name: 'Jun', surname: 'He', phone: '+8613900000033' }),
      ],
    });
    expect(sent.body?.counts?.accepted).toBe(3);
    const store = w.api.ctx.app.store;
    const programs = () => w.api.ctx.programs.current;
    const held = await store.findFacts(['w-c', 'w-a', 'w-b'].map((id) => ({ source: 'shop', id })));
    const [c, a, b] = ['w-c', 'w-a', 'w-b'].map((id) => held.get(`shop/${id}`)?.subject as string);
    const ab = await mergePersons(store, programs(), a as string, b as string, 'same person');
    const absorbed = ab.subjectId === a ? (b as string) : (a as string);
    const bRecord = (await store.identityRecordsOf(ab.subjectId)).find(
      (r) => (JSON.parse(r.link) as { subjectId?: string }).subjectId === absorbed,
    );
    if (bRecord === undefined) throw new Error(`no record of ${absorbed} under ${ab.subjectId}`);
    await splitRecords(store, programs(), [bRecord.recordId], 'different people');
    const last = await mergePersons(store, programs(), c as string, ab.subjectId, 'same person');
    expect(last.subjectId).not.toBe(absorbed);

    const r = await w.call(
      'GET',
      `/v1/persons/${absorbed}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect([r.status, r.body?.error?.code]).toEqual([409, 'CREDENCE_E_SUBJECT_AMBIGUOUS']);
  });
});
