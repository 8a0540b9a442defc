import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi } from '../../src/api/index.js';
import type { ReviewItem } from '../../src/identity/resolver-types.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The operator's lists — GET /v1/keys, /v1/sources, /v1/disputes, /v1/identity/reviews — came in
// one answer each, however long, with no way to read them a part at a time. They now take `limit`
// and `after` and say where the next page starts (`next`), as GET /v1/me/inquiries does. A page
// starts after the last row read by its place in the list's order, so rows added between two pages
// never make a row that was there all along be skipped or read twice.
let w: ApiWorld;
/** A second server on the same file with an identity review queue the test fills. */
let reviewsApi: OpenedApi;
const queue: ReviewItem[] = [];
const facts: { key: string; source: string; id: string }[] = [];
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
  reviewsApi = await openApi(w.db, {
    clock: () => w.clock.now,
    identity: {
      reviewQueue: () => [...queue].sort((a, b) => (a.recordId < b.recordId ? -1 : 1)),
      decideReview: () => {
        throw new Error('not in this test');
      },
    },
  });
  // Facts to dispute, from everyone's file.
  for (const subject of await w.api.ctx.app.store.subjectsPage('', 100)) {
    const key = (await w.api.ctx.auth.issue({ role: 'person', name: subject, subject, rate: 100_000 })).token;
    const file = (await w.call('GET', '/v1/me/file', key)).body;
    for (const f of file.facts as { source: string; id: string }[])
      facts.push({ key, source: f.source, id: f.id });
  }
});
afterAll(async () => {
  await reviewsApi.close();
  await w.dispose();
});

interface List {
  readonly url: string;
  readonly field: string;
  readonly id: (row: any) => string;
  /** Adds a row to the list. */
  add(n: number): Promise<void>;
  api?: () => OpenedApi;
}

let serial = 0;
const call = async (list: List, url: string) => {
  if (!list.api) return w.call('GET', url, w.keys.operator);
  const res = await list.api().server.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${w.keys.operator}` },
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
};
const whole = async (list: List) => (await call(list, list.url)).body[list.field] as any[];

/** Reads the list in pages of `limit`, running `between(i)` after page i; every row read, in turn. */
async function walk(list: List, limit: number, between: (page: number) => Promise<void>) {
  const rows: any[] = [];
  let after: string | undefined;
  for (let page = 0; page < 200; page++) {
    const r = await call(
      list,
      `${list.url}?limit=${limit}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    expect(r.status).toBe(200);
    expect(r.body[list.field].length).toBeLessThanOrEqual(limit);
    rows.push(...r.body[list.field]);
    if (r.body.next === undefined) return rows;
    expect(typeof r.body.next).toBe('string');
    after = r.body.next;
    await between(page);
  }
  throw new Error('the pages did not end');
}

let disputed = 0;
const lists: List[] = [
  {
    url: '/v1/keys',
    field: 'keys',
    id: (k) => k.keyId,
    add: async () => {
      await w.api.ctx.auth.issue({ role: 'relying-party', name: `Page ${serial++}`, purposes: ['tenancy'] });
    },
  },
  {
    url: '/v1/sources',
    field: 'sources',
    id: (s) => s.source,
    // A source named anywhere in the order: before the page read, after it, between.
    add: async (n) => {
      const source = `${'abcdefghijklmnopqrstuvwxyz'[n % 26]}${serial++}`;
      await w.api.ctx.auth.issue({ role: 'furnisher', name: source, source });
    },
  },
  {
    url: '/v1/disputes',
    field: 'disputes',
    id: (d) => d.id,
    add: async () => {
      const fact = facts[disputed++];
      if (fact === undefined) throw new Error(`the test ran out of facts to dispute (${facts.length})`);
      const r = await w.call('POST', '/v1/me/disputes', fact.key, {
        source: fact.source,
        factId: fact.id,
        reason: 'not mine',
      });
      expect(r.status).toBe(200);
    },
  },
  {
    url: '/v1/identity/reviews',
    field: 'reviews',
    id: (r) => r.recordId,
    api: () => reviewsApi,
    add: async (n) => {
      queue.push({
        recordId: `R${n.toString(16).padStart(4, '0')}-${serial++}`,
        subjectId: 'P0000001',
        candidates: [],
      });
    },
  },
];

describe.each(lists)('$url in pages', (list) => {
  beforeAll(async () => {
    for (let i = 0; i < 9; i++) await list.add(i * 7919);
  });

  it('pages of any size, read in turn, are the whole list in its order, once each', async () => {
    const all = await whole(list);
    expect(all.length).toBeGreaterThanOrEqual(9);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: all.length + 1 }), async (limit) => {
        expect(await walk(list, limit, async () => {})).toEqual(all);
      }),
      { numRuns: 6 },
    );
  });

  it('skips and repeats no row when rows are added between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(fc.nat({ max: 65_535 }), { maxLength: 2 }), { maxLength: 4 }),
        fc.boolean(),
        async (limit, adds, clockMoves) => {
          const before = (await whole(list)).map(list.id);
          const read = await walk(list, limit, async (page) => {
            for (const n of adds[page] ?? []) await list.add(n);
            // A day passes: a dispute past its deadline now must not jump ahead of pages read.
            if (clockMoves) w.clock.now += 3 * 86_400_000;
          });
          const ids = read.map(list.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of before) expect(ids).toContain(id);
          const now = new Set((await whole(list)).map(list.id));
          for (const id of ids) expect(now.has(id)).toBe(true);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('refuses a limit out of range and a cursor it cannot read, by name', async () => {
    for (const q of ['limit=0', 'limit=10001', 'limit=x']) {
      const r = await call(list, `${list.url}?${q}`);
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'CREDENCE_E_USAGE']);
    }
    if (list.url === '/v1/keys' || list.url === '/v1/disputes') {
      const r = await call(list, `${list.url}?after=no-such-thing`);
      expect([r.status, r.body.error.code]).toEqual([400, 'CREDENCE_E_USAGE']);
      expect(r.body.error.details[0]).toMatchObject({ field: 'after' });
    }
  });
});

describe('the dispute desk in pages', () => {
  it('keeps the order it had at the first page while deadlines pass, and says overdue as of now', async () => {
    const desk = lists[2] as List;
    // An answered dispute, then one opened a day later: its deadline is a day after the answered
    // one's. Once it passes, the open one is overdue and leads the desk, ahead of the answered one.
    await desk.add(0);
    const answered = (await whole(desk)).find((d) => d.status === 'open' && !d.overdue);
    const r = await w.call('POST', `/v1/disputes/${answered.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'it is theirs',
    });
    expect(r.status).toBe(200);
    w.clock.now += 86_400_000;
    await desk.add(1);
    const all = await whole(desk);
    const read = await walk(desk, 1, async (page) => {
      // Every open dispute's deadline passes after the first page.
      if (page === 0) w.clock.now += 30 * 86_400_000;
    });
    expect(read.map((d) => d.id)).toEqual(all.map((d) => d.id));
    for (const d of read.slice(1)) expect(d.overdue).toBe(d.status === 'open');
    expect((await whole(desk)).map((d) => d.id)).not.toEqual(all.map((d) => d.id));
  });
});
