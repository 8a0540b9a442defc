import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceFacts } from '../../src/api/sqlite/source-summary.js';
import { ROOT, runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// GET /v1/sources listed only sources that hold a furnisher key: every source whose facts came in
// with `credence ingest` or `credence import` (a court list, a registry) was missing from the list
// an operator reads to see who furnishes data. Real server on a SQLite file, the real CLI writing
// to the same file while the server runs.
interface Listed {
  source: string;
  keyed: boolean;
  keys: { keyId: string; name: string; active: boolean }[];
  facts: number;
  retractions: number;
  lastReceivedAt: string | null;
}

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 20 });
});
afterAll(() => w.dispose());

const list = async (): Promise<Listed[]> => {
  const r = await w.call('GET', '/v1/sources', w.keys.operator);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.sources;
};

/** The oracle: the stored facts grouped by source with a plain scan of the table. */
const stored = (): Map<string, { facts: number; retractions: number; last: number }> => {
  const db = new Database(w.db, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT source, sum(retracts IS NULL) AS facts, sum(retracts IS NOT NULL) AS retractions,
                (SELECT received_at FROM facts l WHERE l.source = f.source ORDER BY seq DESC LIMIT 1) AS last
         FROM facts f GROUP BY source`,
      )
      .all() as { source: string; facts: number; retractions: number; last: number }[];
    return new Map(rows.map((r) => [r.source, r]));
  } finally {
    db.close();
  }
};

describe('GET /v1/sources lists every source that furnished facts, keyed or not', () => {
  it('the sources of facts ingested without a key are listed, with counts and when they last furnished', async () => {
    const listed = await list();
    const oracle = stored();
    expect(oracle.size).toBeGreaterThan(1);
    // Every source with stored facts, and the keyed ones: nothing else, in name order.
    const keyedSources = new Set(
      w.api.ctx.auth
        .list()
        .filter((k) => k.role === 'furnisher')
        .map((k) => k.source as string),
    );
    expect(listed.map((s) => s.source)).toEqual([...new Set([...oracle.keys(), ...keyedSources])].sort());
    for (const s of listed) {
      const o = oracle.get(s.source);
      expect([s.facts, s.retractions], s.source).toEqual([o?.facts ?? 0, o?.retractions ?? 0]);
      expect(s.lastReceivedAt, s.source).toBe(o ? new Date(o.last).toISOString() : null);
      expect(s.keyed, s.source).toBe(s.keys.some((k) => k.active));
    }
    // The generated population came in through the ingest pipeline, without a key: listed, unkeyed.
    const seeded = listed.filter((s) => !keyedSources.has(s.source));
    expect(seeded.length).toBeGreaterThan(0);
    for (const s of seeded) expect([s.keyed, s.keys], s.source).toEqual([false, []]);
  });

  it('facts sent with `credence ingest` and `credence import` while the server runs show at once', async () => {
    const template = w.facts.find(
      (f) => typeof f.type === 'string' && !String(f.type).startsWith('credence.'),
    );
    expect(template).toBeDefined();
    const lines = [
      { ...template, id: 'kyc-1', source: 'kyc-desk' },
      { ...template, id: 'kyc-2', source: 'kyc-desk' },
      { id: 'kyc-3', source: 'kyc-desk', retracts: 'kyc-1', occurredAt: template?.occurredAt },
    ];
    const file = join(w.dir, 'kyc.jsonl');
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const before = Date.now();
    const ingested = runCli(['ingest', file, '--db', w.db]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const imported = runCli([
      'import',
      'court',
      join(ROOT, 'examples/sources/samples/court-2026-06.csv'),
      '--db',
      w.db,
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const after = Date.now();

    const listed = await list();
    const kyc = listed.find((s) => s.source === 'kyc-desk');
    expect(kyc).toMatchObject({ keyed: false, keys: [], facts: 2, retractions: 1 });
    const at = Date.parse(kyc?.lastReceivedAt as string);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    const court = listed.find((s) => s.source === 'court');
    const oracle = stored().get('court');
    expect(oracle?.facts).toBeGreaterThan(0);
    expect(court).toMatchObject({ facts: oracle?.facts, retractions: oracle?.retractions, keyed: false });
  });

  it('a keyed source without facts is listed with none; revoking its last key leaves it listed, unkeyed', async () => {
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'New bureau',
      source: 'bureau-new',
    });
    expect(issued.status).toBe(200);
    const keyId = issued.body.key.keyId as string;
    expect((await list()).find((s) => s.source === 'bureau-new')).toEqual({
      source: 'bureau-new',
      keyed: true,
      keys: [{ keyId, name: 'New bureau', active: true }],
      facts: 0,
      retractions: 0,
      lastReceivedAt: null,
    });
    // A key for a source that already furnished (the court, imported above) joins its entry.
    const court = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'Court feed',
      source: 'court',
    });
    const courtEntry = (await list()).find((s) => s.source === 'court');
    expect(courtEntry?.keyed).toBe(true);
    expect(courtEntry?.keys.map((k) => k.keyId)).toEqual([court.body.key.keyId]);
    expect(courtEntry?.facts).toBe(stored().get('court')?.facts);

    expect((await w.call('DELETE', `/v1/keys/${keyId}`, w.keys.operator)).status).toBe(200);
    expect((await list()).find((s) => s.source === 'bureau-new')).toMatchObject({
      keyed: false,
      keys: [{ keyId, active: false }],
      facts: 0,
    });
  });

  it('the OpenAPI description says what the route answers', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const item =
      doc.paths['/v1/sources'].get.responses['200'].content['application/json'].schema.properties.sources
        .items;
    expect(Object.keys(item.properties).sort()).toEqual(
      ['facts', 'keyed', 'keys', 'lastReceivedAt', 'retractions', 'source'].sort(),
    );
    expect(item.required.sort()).toEqual(Object.keys(item.properties).sort());
  });

  it('the compiled server reads the same summary on a worker thread', async () => {
    const built = join(ROOT, 'dist/api/sqlite/source-summary.js');
    const { sourceFacts } = (await import(built)) as typeof import('../../src/api/sqlite/source-summary.js');
    const db = new Database(w.db, { readonly: true });
    try {
      expect(await sourceFacts(db)).toEqual(readSourceFacts(db));
      expect(readSourceFacts(db).length).toBe(stored().size);
    } finally {
      db.close();
    }
  });
});
