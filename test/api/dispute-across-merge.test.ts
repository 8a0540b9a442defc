import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedDisputes } from '../../src/api/services/stored-disputes.js';
import { mergePersons, splitRecords } from '../../src/ingest/resolve/identity-ops.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// One open dispute per fact. Disputes were looked up by the person who opened them: a fact
// disputed before a merge could be disputed a second time, open beside the first, through the
// merged person's id, and a fact moved by a split showed its open dispute to no one who held it.
// They are looked up by the fact now: disputing it again returns the open dispute, whoever
// opened it, and the person who holds the fact sees it in their list.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

const openOf = (source: string, factId: string): number => {
  const db = new Database(w.db, { readonly: true });
  try {
    return db
      .prepare("SELECT count(*) FROM api_disputes WHERE source = ? AND fact_id = ? AND status = 'open'")
      .pluck()
      .get(source, factId) as number;
  } finally {
    db.close();
  }
};

const tokenFor = async (subject: string): Promise<string> => {
  const r = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: 'p', subject });
  expect(r.status).toBe(200);
  return r.body.token as string;
};

/** Two new people by two phones, each with one purchase; who holds which fact. */
async function twoPeople(tag: string): Promise<{ a: string; b: string }> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact(`${tag}-a`, { given_name: 'Jun', surname: 'He', phone: `+86139000${tag}01` }),
      shopFact(`${tag}-b`, { given_name: 'Lin', surname: 'Ma', phone: `+86139000${tag}02` }),
    ],
  });
  expect(sent.body?.counts?.accepted).toBe(2);
  const held = await w.api.ctx.app.store.findFacts([
    { source: 'shop', id: `${tag}-a` },
    { source: 'shop', id: `${tag}-b` },
  ]);
  const a = held.get(`shop/${tag}-a`)?.subject as string;
  const b = held.get(`shop/${tag}-b`)?.subject as string;
  expect(a).not.toBe(b);
  return { a, b };
}

const dispute = (token: string, factId: string, reason: string) =>
  w.call('POST', '/v1/me/disputes', token, { source: 'shop', factId, reason });

describe('one open dispute per fact, across merges and splits', () => {
  it('a fact disputed before a merge is not disputed twice through the merged person', async () => {
    const { a, b } = await twoPeople('7701');
    const da = await dispute(await tokenFor(a), '7701-a', 'never bought this');
    const db = await dispute(await tokenFor(b), '7701-b', 'not me');
    expect([da.status, db.status]).toEqual([200, 200]);

    const store = w.api.ctx.app.store;
    const merged = await mergePersons(store, w.api.ctx.programs.current, a, b, 'same person');
    const survivor = await tokenFor(merged.subjectId);
    // Each fact again through the survivor: the open dispute it has, whoever opened it.
    const again = [await dispute(survivor, '7701-a', 'again'), await dispute(survivor, '7701-b', 'again')];
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(again.map((r) => r.body.id)).toEqual([da.body.id, db.body.id]);
    expect([openOf('shop', '7701-a'), openOf('shop', '7701-b')]).toEqual([1, 1]);

    // The merged person sees both, once each, with their own words.
    const listed = (await w.call('GET', '/v1/me/disputes', survivor)).body.disputes as {
      id: string;
      reason: string;
    }[];
    const mine = listed.filter((d) => d.id === da.body.id || d.id === db.body.id);
    expect(mine.map((d) => d.reason).sort()).toEqual(['never bought this', 'not me']);
  });

  it('a fact moved by a split keeps its one open dispute, seen by who holds it, its reason not shown', async () => {
    const { a, b } = await twoPeople('7702');
    const tokenA = await tokenFor(a);
    const opened = await dispute(tokenA, '7702-a', 'my own private words');
    expect(opened.status).toBe(200);
    const store = w.api.ctx.app.store;
    const programs = w.api.ctx.programs.current;
    const merged = await mergePersons(store, programs, a, b, 'same person');
    // The record the disputed fact came with goes to a new person.
    const rec = (await store.identityRecordsOf(merged.subjectId)).find((r) => r.body.includes('770201'));
    expect(rec).toBeDefined();
    const split = await splitRecords(store, programs, [rec?.recordId as string], 'different people');
    const moved = (await store.findFacts([{ source: 'shop', id: '7702-a' }])).get('shop/7702-a');
    expect(moved?.subject).toBe(split.subjectId);

    const holder = await tokenFor(split.subjectId);
    const again = await dispute(holder, '7702-a', 'mine now');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(opened.body.id);
    expect(again.body.reason).not.toContain('private');
    expect(openOf('shop', '7702-a')).toBe(1);
    const listed = (await w.call('GET', '/v1/me/disputes', holder)).body.disputes as {
      id: string;
      reason: string;
    }[];
    const seen = listed.find((d) => d.id === opened.body.id);
    expect(seen).toBeDefined();
    expect(seen?.reason).not.toContain('private');
    // Their copy of the file lists it too.
    const file = (await w.call('GET', '/v1/me/file', holder)).body;
    expect((file.disputes as { id: string }[]).map((d) => d.id)).toContain(opened.body.id);
  });

  it('credence export finds them too, in a file no server has indexed by fact', async () => {
    const held = await w.api.ctx.app.store.findFacts([{ source: 'shop', id: '7702-a' }]);
    const holder = held.get('shop/7702-a')?.subject as string;
    const expected = storedDisputes(w.db, [holder], w.clock.now, ['shop/7702-a']).map((d) => d.id);
    expect(expected).toHaveLength(1);
    const db = new Database(w.db);
    try {
      db.exec('DROP INDEX api_disputes_fact');
    } finally {
      db.close();
    }
    const read = storedDisputes(w.db, [holder], w.clock.now, ['shop/7702-a']);
    expect(read.map((d) => d.id)).toEqual(expected);
    expect(read[0]?.reason).not.toContain('private');
  });
});
