import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, mergeLogged, shopFact, splitLogged } from './api-world.js';

// The identity decisions in a person's file were picked by the ids they name now. A person whose
// record an operator joined with another file and then split off again (the merge kept their old
// id, which names the other person since) read only the split: nothing said their record had been
// joined with anyone. The decisions are now also picked by where the person's records were at
// each step, so that merge is theirs; and what the other person's id went through after their
// record left it is not.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe("a person's identity history follows their records", () => {
  it('lists the merge their record was in before a split took it off, and nothing of the other id after', async () => {
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        shopFact('ih-1', { given_name: 'Fang', surname: 'Gao', phone: '+8613900000301' }),
        shopFact('ih-2', { given_name: 'Yan', surname: 'Lu', phone: '+8613900000302' }),
        shopFact('ih-3', { given_name: 'Wei', surname: 'Ma', phone: '+8613900000303' }),
      ],
    });
    expect(sent.body.counts.accepted).toBe(3);
    const store = w.api.ctx.app.store;
    const held = await store.findFacts(['ih-1', 'ih-2', 'ih-3'].map((id) => ({ source: 'shop', id })));
    const [a, b, c] = ['ih-1', 'ih-2', 'ih-3'].map((id) => held.get(`shop/${id}`)?.subject as string);
    const token = async (subject: string) =>
      (await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: subject, subject })).body
        .token as string;
    const [ta, tb] = [await token(a as string), await token(b as string)];
    const m = await mergeLogged(w, a as string, b as string);
    expect(m.subjectId).toBe(a);
    const recordA = (await store.identityRecordsOf(a as string)).find(
      (r) => (JSON.parse(r.link) as { subjectId?: string }).subjectId === a,
    )?.recordId as string;
    // A's own record split off: the id A names B since; then that id is merged with C.
    await splitLogged(w, recordA);
    await mergeLogged(w, a as string, c as string);

    const fileA = (await w.call('GET', '/v1/me/file', ta)).body;
    expect(fileA.identityLinks.map((l: { record: string }) => l.record)).toEqual([recordA]);
    expect(fileA.identityDecisions.map((d: { kind: string }) => d.kind)).toEqual(['merge', 'split']);
    expect(fileA.identityDecisions[1].what).toMatch(/yours alone/);
    const fileB = (await w.call('GET', '/v1/me/file', tb)).body;
    expect(fileB.identityDecisions.map((d: { kind: string }) => d.kind)).toEqual(['merge', 'split', 'merge']);
  });
});
