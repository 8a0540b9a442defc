import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyDisputeView, listAllDisputes } from '../../src/api/services/link-dispute-service.js';
import { openApiDb } from '../../src/api/sqlite/api-db.js';
import { readSourceFacts } from '../../src/api/sqlite/source-summary.js';
import { type ApiWorld, makeApiWorld, mergedThenSplit } from './api-world.js';

// The operator's lists (GET /v1/keys, /v1/disputes, /v1/sources, /v1/identity/reviews) read their
// whole table from SQLite on every page and cut the page in JS: an operator of a large program
// paid for 100,000 disputes to read 50. Each page is now read from SQLite past its cursor with a
// LIMIT. Here: the pages, walked with every filter, are the list as it was listed whole before
// (same rows, same bodies, same order, each once); and a page hands to JS about as many rows of
// the list's table as it holds, read through an index in the list's order (no sort of the table).

let w: ApiWorld;
let db: Database.Database;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
  db = new Database(w.db);
});
afterAll(async () => {
  db.close();
  await w.dispose();
});

/** A small deterministic generator (mulberry32), so a failure names the rows it saw. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const get = async (url: string) => {
  const r = await w.call('GET', url, w.keys.operator);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

/** Every page of `url` in pages of `limit`, in turn; the answers, and the rows they held. */
async function walk(url: string, field: string, limit: number) {
  const pages: { next?: string; overdue?: number }[] = [];
  const rows: unknown[] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const sep = url.includes('?') ? '&' : '?';
    const body = await get(`${url}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    pages.push(body);
    rows.push(...body[field]);
    if (body.next === undefined) return { pages, rows };
    after = body.next;
  }
  throw new Error('the pages did not end');
}

interface Read {
  readonly sql: string;
  readonly args: unknown[];
  rows: number;
}

/**
 * The statements run on any connection while `fn` runs, with their arguments and how many rows
 * each handed to JS (`all`, `get`, `iterate` as far as it was stepped).
 */
async function reads(fn: () => Promise<unknown>): Promise<Read[]> {
  type Method = (this: { source: string }, ...a: unknown[]) => unknown;
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as {
    all: Method;
    get: Method;
    iterate: Method;
  };
  const saved = { all: proto.all, get: proto.get, iterate: proto.iterate };
  const out: Read[] = [];
  const note = (stmt: { source: string }, args: unknown[]): Read => {
    const r = { sql: stmt.source, args, rows: 0 };
    out.push(r);
    return r;
  };
  proto.all = function (this: { source: string }, ...args: unknown[]) {
    const rows = saved.all.apply(this, args) as unknown[];
    note(this, args).rows += rows.length;
    return rows;
  };
  proto.get = function (this: { source: string }, ...args: unknown[]) {
    const row = saved.get.apply(this, args);
    note(this, args).rows += row === undefined ? 0 : 1;
    return row;
  };
  proto.iterate = function* (this: { source: string }, ...args: unknown[]) {
    const r = note(this, args);
    for (const row of saved.iterate.apply(this, args) as Iterable<unknown>) {
      r.rows++;
      yield row;
    }
  };
  try {
    await fn();
  } finally {
    Object.assign(proto, saved);
  }
  return out;
}

/**
 * The rows of `table` handed to JS by `reads`, after checking that each statement reading it is
 * read through an index in the order asked (SQLite would otherwise read every row to sort them,
 * whatever the LIMIT) and, when it reads past a cursor, with a LIMIT.
 */
function rowsOf(seen: readonly Read[], table: RegExp): number {
  let n = 0;
  for (const r of seen.filter((s) => table.test(s.sql))) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...(r.args as [])) as { detail: string }[])
      .map((p) => p.detail)
      .join('; ');
    expect(plan, r.sql).not.toMatch(/TEMP B-TREE/);
    expect(plan, r.sql).not.toMatch(/\bSCAN \w+(;|$)/);
    if (/\s>=?\s/.test(r.sql)) expect(r.sql).toMatch(/LIMIT (\?|\d+)/);
    // A cursor of two columns is where the index is entered, not a filter on the rows before it.
    for (const [, cols] of r.sql.matchAll(/\(([\w, ]+)\) > \(\?, \?\)/g))
      expect(plan, r.sql).toContain(`(${(cols as string).replace(/ /g, '')})>(?,?)`);
    n += r.rows;
  }
  return n;
}

describe('GET /v1/keys reads one page', () => {
  beforeAll(async () => {
    // Several keys of one instant (ordered by keyId among themselves), then later ones.
    for (let i = 0; i < 40; i++) {
      if (i % 4 === 0) w.clock.now += 1000;
      await w.api.ctx.auth.issue({ role: 'relying-party', name: `RP ${i}`, purposes: ['tenancy'] });
    }
  });

  it('pages through every key once, oldest first then by keyId, as the whole list says', async () => {
    const whole = (await get('/v1/keys')).keys;
    expect(whole.length).toBeGreaterThan(40);
    const oracle = (
      db.prepare('SELECT key_id, created_at FROM api_keys').all() as { key_id: string; created_at: number }[]
    )
      .sort((a, b) => a.created_at - b.created_at || (a.key_id < b.key_id ? -1 : 1))
      .map((k) => k.key_id);
    expect(whole.map((k: { keyId: string }) => k.keyId)).toEqual(oracle);
    for (const limit of [1, 7, 13]) {
      const { pages, rows } = await walk('/v1/keys', 'keys', limit);
      expect(pages.length).toBe(Math.ceil(whole.length / limit));
      expect(rows).toEqual(whole);
    }
  });

  it('a page of 5 hands JS a handful of keys, however many there are', async () => {
    const total = db.prepare('SELECT count(*) FROM api_keys').pluck().get() as number;
    const first = await get('/v1/keys?limit=5');
    const seen = await reads(() => get(`/v1/keys?limit=5&after=${first.next}`));
    const read = rowsOf(seen, /\bapi_keys\b/);
    expect(total).toBeGreaterThan(40);
    expect(read).toBeLessThanOrEqual(5 + 1 + 2);
  });
});

describe('GET /v1/disputes reads one page', () => {
  const STATUSES = ['open', 'upheld', 'rejected', 'withdrawn'] as const;
  beforeAll(() => {
    // 400 disputes of both kinds, deadlines around now (some on the same instant), every status.
    const next = random(11);
    const day = 86_400_000;
    const fact = db.prepare(
      `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status, resolved_at, note)
       VALUES (?, ?, 'shop', ?, 'not mine', ?, ?, ?, ?, ?)`,
    );
    const link = db.prepare(
      `INSERT INTO api_link_disputes (id, subject, record_id, reason, opened_at, due_at, status, resolved_at, note, moved_facts, split_to)
       VALUES (?, ?, ?, 'not me', ?, ?, ?, ?, ?, NULL, NULL)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const id = `d${Math.floor(next() * 1e9).toString(36)}-${i}`;
        const due = w.clock.now + Math.round(next() * 12 - 6) * day;
        const status = STATUSES[Math.floor(next() * 4)] as string;
        const closed = status === 'open' ? null : due - day;
        const note = status === 'open' ? null : 'answered';
        // Subjects and facts need not exist: the desk lists the rows as stored.
        if (i % 2 === 0) fact.run(id, `P${i}`, `f${i}`, due - 20 * day, due, status, closed, note);
        else link.run(id, `P${i}`, `R${i}`, due - 20 * day, due, status, closed, note);
      }
    })();
  });

  const filters = [undefined, ...STATUSES].flatMap((status) =>
    [undefined, 'fact', 'link'].map((kind) => ({ status, kind })),
  );
  it.each(filters)(
    'status $status, kind $kind: every dispute once, in the desk order',
    async ({ status, kind }) => {
      const query = [status && `status=${status}`, kind && `kind=${kind}`].filter(Boolean).join('&');
      const url = `/v1/disputes${query ? `?${query}` : ''}`;
      // The desk as the whole list was read before pages came from SQLite.
      const oracle = listAllDisputes(db, status ? { status } : {}, w.clock.now)
        .filter((d) => kind === undefined || d.kind === kind)
        .map((d) => anyDisputeView(d, 'operator'));
      expect(oracle.length).toBeGreaterThan(3 * 7);
      const { pages, rows } = await walk(url, 'disputes', 7);
      expect(pages.length).toBe(Math.ceil(oracle.length / 7));
      expect(rows).toEqual(oracle);
      const overdue = oracle.filter((d) => d.overdue).length;
      for (const p of pages) expect(p.overdue).toBe(overdue);
    },
  );

  it('a page of 5 hands JS a handful of disputes of the 400, read in the desk order', async () => {
    const first = await get('/v1/disputes?limit=5');
    // A page ending among the open disputes not overdue: the next starts inside their range.
    const open = await get(
      `/v1/disputes?status=open&limit=${(await get('/v1/disputes?limit=1')).overdue + 2}`,
    );
    expect(open.disputes.at(-1).overdue).toBe(false);
    for (const url of [
      `/v1/disputes?limit=5&status=open&after=${open.next}`,
      '/v1/disputes?limit=5',
      `/v1/disputes?limit=5&after=${first.next}`,
      '/v1/disputes?limit=5&status=rejected&kind=link',
    ]) {
      const seen = await reads(() => get(url));
      // The page and one more, at most one row ahead in each of the ten index ranges merged, and
      // the count of overdue ones of each table.
      expect(rowsOf(seen, /\bapi_(link_)?disputes\b/), url).toBeLessThanOrEqual(5 + 1 + 10 + 2);
    }
  });
});

describe('GET /v1/sources reads one page', () => {
  beforeAll(async () => {
    // Keyed sources named all through the order of the ingested ones, some with two keys, one revoked.
    for (let i = 0; i < 30; i++) {
      const source = `${'abcdefghijklmnopqrstuvwxyz'[(i * 7) % 26]}src${i}`;
      const k = await w.api.ctx.auth.issue({ role: 'furnisher', name: `F ${i}`, source });
      if (i % 5 === 0) await w.api.ctx.auth.issue({ role: 'furnisher', name: `F ${i} bis`, source });
      if (i % 3 === 0) w.api.ctx.auth.revoke(k.key.keyId);
    }
  });

  it('pages through every source once, by name, each with its keys and counts, as built whole before', async () => {
    // The list as the route built it whole: every source of a stored fact, every keyed one.
    const facts = new Map(readSourceFacts(db).map((s) => [s.source, s]));
    const keys = new Map<string, { keyId: string; name: string; active: boolean }[]>();
    for (const k of w.api.ctx.auth.list()) {
      if (k.role !== 'furnisher' || k.source === null) continue;
      keys.set(k.source, [
        ...(keys.get(k.source) ?? []),
        { keyId: k.keyId, name: k.name, active: k.revokedAt === null },
      ]);
    }
    const oracle = [...new Set([...facts.keys(), ...keys.keys()])].sort().map((source) => {
      const s = facts.get(source);
      const own = keys.get(source) ?? [];
      return {
        source,
        keyed: own.some((k) => k.active),
        keys: own,
        facts: s?.facts ?? 0,
        retractions: s?.retractions ?? 0,
        lastReceivedAt: s === undefined ? null : new Date(s.lastReceivedAt).toISOString(),
      };
    });
    expect(facts.size).toBeGreaterThan(1);
    expect(oracle.length).toBeGreaterThan(30);
    for (const limit of [1, 4, 9]) {
      const { pages, rows } = await walk('/v1/sources', 'sources', limit);
      expect(pages.length).toBe(Math.ceil(oracle.length / limit));
      expect(rows).toEqual(oracle);
    }
  });

  it('a page of 3 hands JS the keys of a handful of sources and counts a handful of sources', async () => {
    const first = await get('/v1/sources?limit=3');
    const seen = await reads(() => get(`/v1/sources?limit=3&after=${first.next}`));
    // The four sources' names and their keys (at most two each), and the key asking.
    expect(rowsOf(seen, /\bapi_keys\b/)).toBeLessThanOrEqual(4 + 4 * 2 + 1);
    // Per source of facts read: its name, its counts, its retractions, its last row.
    expect(rowsOf(seen, /\bfacts\b/)).toBeLessThanOrEqual(4 * 4);
  });
});

describe('GET /v1/identity/reviews reads one page', () => {
  let absorbed = '';
  let survivor = '';
  beforeAll(async () => {
    // Two people merged: a review naming the one merged away names the survivor.
    ({ absorbed, survivor } = await mergedThenSplit(w));
    const [c] = await w.api.ctx.app.store.subjectsPage('', 1);
    // 45 reviews as ingest stores them, in no order of record id; candidates of a person holding
    // records, of the one merged away and of no one (left out, as the restored queue leaves it).
    const next = random(5);
    // A history of 80 merges of other people (each page read it whole, to follow merged ids), and
    // a chain among them: P9999990 merged into P9999991, which was merged into the first person.
    const decide = db.prepare('INSERT INTO identity_decisions (seq, body) VALUES (?, ?)');
    const first =
      (db.prepare('SELECT coalesce(max(seq), 0) FROM identity_decisions').pluck().get() as number) + 1;
    for (let i = 0; i < 80; i++) {
      const [survivor, absorbed] =
        i === 40 ? ['P9999991', 'P9999990'] : i === 70 ? [c, 'P9999991'] : [`X${i}`, `Y${i}`];
      const body = { kind: 'merge', survivor, absorbed, by: 'operator', seq: first + i };
      decide.run(first + i, JSON.stringify(body));
    }
    const put = db.prepare('INSERT INTO identity_reviews (record_id, item) VALUES (?, ?)');
    for (let i = 0; i < 45; i++) {
      const recordId = `R${Math.floor(next() * 2 ** 40).toString(16)}${i}`;
      const candidates = [c, absorbed, 'P9999999', survivor, 'P9999990']
        .filter((_, j) => next() < 0.6 || j === i % 5)
        .map((subjectId, j) => ({ subjectId, confidence: 0.5 + j / 10, evidence: [] }));
      put.run(
        recordId,
        JSON.stringify({ recordId, subjectId: i % 3 ? (c as string) : absorbed, candidates }),
      );
    }
  });

  it('pages through every item once, by record id, as the queue restored from the store has it', async () => {
    const queue = (await (w.api.ctx.identity?.reviewQueue() ?? [])).sort((x, y) =>
      x.recordId < y.recordId ? -1 : 1,
    );
    expect(queue.length).toBe(45);
    // The merged-away id is followed; a candidate that is no one is left out.
    expect(JSON.stringify(queue)).not.toContain(`"${absorbed}"`);
    expect(JSON.stringify(queue)).toContain(`"${survivor}"`);
    expect(JSON.stringify(queue)).not.toContain('P9999999');
    // Followed through two merges.
    expect(JSON.stringify(queue)).not.toContain('P999999');
    for (const limit of [1, 6, 20]) {
      const { pages, rows } = await walk('/v1/identity/reviews', 'reviews', limit);
      expect(pages.length).toBe(Math.ceil(queue.length / limit));
      expect(rows).toEqual(queue);
    }
  });

  it('a page of 5 hands JS a handful of items of the 45, and restores no record', async () => {
    const first = await get('/v1/identity/reviews?limit=5');
    const seen = await reads(() => get(`/v1/identity/reviews?limit=5&after=${first.next}`));
    expect(rowsOf(seen, /\bidentity_reviews\b/)).toBeLessThanOrEqual(5 + 1);
    // Whether a candidate holds a record: one row at most per candidate of the page.
    expect(rowsOf(seen, /\bidentity_records\b/)).toBeLessThanOrEqual(6 * 5);
    // The merges of the persons the page names, followed one step at a time: not the whole history.
    expect(db.prepare('SELECT count(*) FROM identity_decisions').pluck().get()).toBeGreaterThan(80);
    expect(rowsOf(seen, /\bidentity_decisions\b/)).toBeLessThanOrEqual(6);
  });
});

describe('the indexes the pages are read through', () => {
  it('a file whose dispute tables are rebuilt on opening (withdrawn added) keeps the desk indexes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credence-desk-'));
    try {
      const path = join(dir, 'old.db');
      const old = new Database(path);
      old.exec(`
        CREATE TABLE api_disputes (
          id TEXT PRIMARY KEY, subject TEXT NOT NULL, source TEXT NOT NULL, fact_id TEXT NOT NULL,
          reason TEXT NOT NULL, opened_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
          resolved_at INTEGER, note TEXT
        ) WITHOUT ROWID;
        CREATE TABLE api_link_disputes (
          id TEXT PRIMARY KEY, subject TEXT NOT NULL, record_id TEXT NOT NULL, reason TEXT NOT NULL,
          opened_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
          resolved_at INTEGER, note TEXT, moved_facts INTEGER, split_to TEXT
        ) WITHOUT ROWID;
      `);
      old.close();
      const upgraded = openApiDb(path);
      try {
        const indexes = upgraded
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'api_%_desk'")
          .pluck()
          .all();
        expect(indexes.sort()).toEqual(['api_disputes_desk', 'api_link_disputes_desk']);
      } finally {
        upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
