import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/index.js';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { residentIdCheckChar } from '../../src/identity/index.js';
import { BIN, CITY_CIVIC, line, MARKETPLACE, makeWorld, ok, ROOT, type World } from './cli.js';

// `credence identity review` restored the whole identity engine, every identity record of the file,
// to show a queue of a few items: on a large file, seconds for three lines. It now reads the queue
// as GET /v1/identity/reviews does (since "operator lists: GET /v1/identity/reviews reads one
// page"): the items, the merges of the persons they name and whether those hold a record. Here the
// real binary runs with every SQL row it reads counted, and shows what the API shows.
const REGISTER = pathToFileURL(join(ROOT, 'test/e2e/sql-reads/register.mjs')).href;

const residentId = (body17: string): string => `${body17}${residentIdCheckChar(body17)}`;
const IDS = ['11010519491231002', '31011519491231005', '44030119800101001'].map(residentId);

interface Review {
  recordId: string;
  subjectId: string;
  candidates: { subjectId: string; confidence: number }[];
}

let w: World;
beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
  const file = join(w.dir, 'in.jsonl');
  const people = [...generateJsonl({ people: 300, seed: 11, days: 120, end: recentEnd() })];
  const names = [
    ['Wei', 'Wang', '王伟'],
    ['Na', 'Li', '李娜'],
    ['Jun', 'Zhao', '赵军'],
  ];
  const known = IDS.flatMap((id, i) => {
    const [given, surname] = names[i] as [string, string, string];
    return [1, 2].map((d) =>
      line({
        id: `k${i}-${d}`,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: `2026-03-0${d}T10:00:00Z`,
        subject: { national_id: id, given_name: given, surname },
        data: { amount: 50 },
      }),
    );
  });
  // A masked ID that fits each known person: a review each, never a merge.
  const masked = IDS.map((id, i) =>
    line({
      id: `c${i}`,
      source: 'court',
      type: 'loan.defaulted',
      occurredAt: '2026-03-05T10:00:00Z',
      subject: { national_id: `${id.slice(0, 10)}****${id.slice(14)}`, full_name: names[i]?.[2] },
      data: { lender: 'bank', loan: `L${i}`, amount: 5000 },
    }),
  );
  writeFileSync(file, `${[...people.map((l) => l.trimEnd()), ...known, ...masked].join('\n')}\n`);
  ok(w.run(['ingest', file]));
});
afterAll(() => w.dispose());

/** `credence identity review --json` on the real binary, and the rows each statement read. */
function reviewWithReads(): { reviews: Review[]; reads: { sql: string; rows: number }[] } {
  const log = join(w.dir, 'sql-reads.json');
  const r = spawnSync(
    process.execPath,
    ['--import', REGISTER, BIN, 'identity', 'review', '--json', '--db', w.db],
    { cwd: w.dir, encoding: 'utf8', env: { ...process.env, CREDENCE_DB: '', CREDENCE_SQL_LOG: log } },
  );
  expect(r.status, r.stderr).toBe(0);
  return {
    reviews: (JSON.parse(r.stdout) as { reviews: Review[] }).reviews,
    reads: JSON.parse(readFileSync(log, 'utf8')) as { sql: string; rows: number }[],
  };
}

describe('credence identity review reads only what it shows (real binary, real file)', () => {
  it('reads the queue, not the identity records of the whole file', () => {
    const db = new Database(w.db, { readonly: true });
    const records = db.prepare('SELECT count(*) FROM identity_records').pluck().get() as number;
    const queued = db.prepare('SELECT count(*) FROM identity_reviews').pluck().get() as number;
    db.close();
    expect(records).toBeGreaterThan(300);
    const { reviews, reads } = reviewWithReads();
    // The masked IDs' three, and those the generated names with typos left.
    expect(reviews.length).toBeGreaterThanOrEqual(IDS.length);
    expect(reviews).toHaveLength(queued);
    const rowsOf = (table: RegExp): number =>
      reads.filter((r) => table.test(r.sql)).reduce((n, r) => n + r.rows, 0);
    // Whether a candidate holds a record: one row at most per candidate shown.
    const candidates = reviews.reduce((n, r) => n + r.candidates.length, 0);
    expect(rowsOf(/\bidentity_records\b/)).toBeLessThanOrEqual(candidates);
    expect(rowsOf(/\bidentity_reviews\b/)).toBeLessThanOrEqual(queued + 1);
    expect(candidates).toBeLessThan(records / 2);
    // No statement read the engine's other tables whole.
    expect(rowsOf(/\bidentity_(state|keys)\b/)).toBe(0);
  });

  it('shows what GET /v1/identity/reviews shows, in its order', async () => {
    const { reviews } = reviewWithReads();
    const api = await openApi(w.db);
    try {
      const key = (await api.ctx.auth.issue({ role: 'operator', name: 'Ops' })).token;
      const r = await api.server.inject({
        method: 'GET',
        url: '/v1/identity/reviews?limit=100',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(r.statusCode).toBe(200);
      expect(reviews).toEqual((r.json() as { reviews: Review[] }).reviews);
    } finally {
      await api.close();
    }
  });
});
