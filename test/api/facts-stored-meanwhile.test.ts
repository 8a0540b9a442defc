import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi } from '../../src/api/open-api.js';
import type { CommitBatch } from '../../src/store/store.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// Two servers on one file (behind a load balancer) and a client that sent one batch to both (a
// retry after a timeout). Each judged the batch before the other stored it. The second to commit
// used to fail on the file's unique index of facts and answer 500: it must judge the batch again
// and find every fact stored, as duplicates.

let w: ApiWorld;
let other: OpenedApi;
beforeEach(async () => {
  w = await makeApiWorld({ people: 6 });
  other = await openApi(w.db, { clock: () => w.clock.now });
});
afterEach(async () => {
  await other.close();
  await w.dispose();
});

const post = async (api: OpenedApi, facts: unknown[]) => {
  const res = await api.server.inject({
    method: 'POST',
    url: '/v1/facts',
    headers: { authorization: `Bearer ${w.keys.furnisher}` },
    payload: { facts },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

describe('one batch sent to two servers on one file at once', () => {
  it('is stored once: the server that commits second finds the facts stored, not a 500', async () => {
    // Facts of a person the file already holds: no new person id, so only the facts can collide.
    const subject = { phone: '+8613800138123' };
    expect((await post(w.api, [shopFact('first', subject)])).body.counts.accepted).toBe(1);
    const batch = [shopFact('twice-1', subject), shopFact('twice-2', subject)];

    // The first server has judged the batch; before it commits, the other server takes and
    // stores the same batch.
    const store = w.api.ctx.app.store;
    const commit = store.commit.bind(store);
    let theirs: { status: number; body: { counts: Record<string, number> } } | undefined;
    store.commit = async (b: CommitBatch) => {
      if (!theirs && b.facts?.some((f) => f.id === 'twice-1')) theirs = await post(other, batch);
      return commit(b);
    };

    const mine = await post(w.api, batch);
    expect(theirs?.status, JSON.stringify(theirs?.body)).toBe(200);
    expect(theirs?.body.counts).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.counts).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
  });
});
