import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/open-api.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The server keeps one open dispute per fact, whoever opened it (a dispute follows the fact across
// merges and splits), but the file's unique index on open disputes was per person: a writer that
// bypasses the server (another process, an older build) could store a second open dispute of the
// same fact under another person id, and both would then mark it and stand on the desk. The index
// is per fact now. A file of the previous version, holding such a pair, is upgraded when a server
// opens it: the oldest stays open, each later one is closed as withdrawn with an audit entry, and
// `audit verify` passes.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Fact {
  source: string;
  id: string;
}
const raw = () => {
  const db = new Database(w.db);
  db.pragma('busy_timeout = 10000');
  return db;
};
const insertOpen = (db: Database.Database, id: string, subject: string, f: Fact, at: number) =>
  db
    .prepare(
      `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
       VALUES (?, ?, ?, ?, 'by hand', ?, ?, 'open')`,
    )
    .run(id, subject, f.source, f.id, at, at + 20 * 86_400_000);
const indexes = (db: Database.Database): string[] =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'api_disputes' ORDER BY name",
    )
    .pluck()
    .all() as string[];

describe('one open dispute per fact in the file', () => {
  it('refuses a second open dispute of a fact under another person id, whoever writes it', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const f = (file.facts as Fact[])[0] as Fact;
    const a = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'x',
    });
    expect(a.status).toBe(200);
    const db = raw();
    try {
      expect(() => insertOpen(db, 'other-person', 'P9999999', f, 1)).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('upgrades a file of the per-person index: later duplicates closed, logged, and the file verifies', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const f = (file.facts as Fact[])[1] as Fact;
    w.clock.now += 60_000;
    const first = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'a',
    });
    expect(first.status).toBe(200);
    // The previous version's file: the per-person index only, and a second open dispute of the same
    // fact under another id (an older build's writer), logged as that writer logs it.
    const db = raw();
    try {
      for (const name of indexes(db))
        if (name.includes('one_open') || name.includes('open_fact')) db.exec(`DROP INDEX ${name}`);
      db.exec(
        "CREATE UNIQUE INDEX api_disputes_one_open ON api_disputes (subject, source, fact_id) WHERE status = 'open'",
      );
      insertOpen(db, 'dup-other-id', w.keys.otherSubject, f, w.clock.now + 1);
    } finally {
      db.close();
    }
    await w.api.ctx.audit.append({
      at: w.clock.now + 1,
      actor: 'system',
      action: 'dispute.open',
      subject: w.keys.otherSubject,
      detail: { dispute: 'dup-other-id', fact: `${f.source}/${f.id}` },
    });
    w.clock.now += 60_000;
    const upgraded = await openApi(w.db, { clock: () => w.clock.now });
    await upgraded.close();

    const check = raw();
    try {
      const rows = check
        .prepare(
          'SELECT id, status, note FROM api_disputes WHERE source = ? AND fact_id = ? ORDER BY opened_at',
        )
        .all(f.source, f.id) as { id: string; status: string; note: string | null }[];
      expect(rows.map((r) => [r.id, r.status])).toEqual([
        [first.body.id, 'open'],
        ['dup-other-id', 'withdrawn'],
      ]);
      expect(rows[1]?.note).toContain(first.body.id);
      expect(indexes(check)).not.toContain('api_disputes_one_open');
      expect(() => insertOpen(check, 'dup-third', 'P9999998', f, 1)).toThrow(/UNIQUE/);
    } finally {
      check.close();
    }
    const logged = (await w.api.ctx.audit.query({ actions: ['dispute.withdraw'] })).filter(
      (e) => JSON.parse(String(e.detail)).dispute === 'dup-other-id',
    );
    expect(logged).toMatchObject([{ actor: 'system', subject: w.keys.otherSubject }]);
    expect(JSON.parse(String(logged[0]?.detail))).toEqual({
      dispute: 'dup-other-id',
      duplicateOf: first.body.id,
    });
    const v = (await w.call('GET', '/v1/audit/verify', w.keys.operator)).body;
    expect(v.disputes).toMatchObject({ ok: true, problems: [] });
    expect(v.ok).toBe(true);

    // An older build opening the file since puts its per-person index back: dropped again.
    const old = raw();
    try {
      old.exec(
        "CREATE UNIQUE INDEX api_disputes_one_open ON api_disputes (subject, source, fact_id) WHERE status = 'open'",
      );
    } finally {
      old.close();
    }
    await (await openApi(w.db, { clock: () => w.clock.now })).close();
    const last = raw();
    try {
      expect(indexes(last)).toContain('api_disputes_open_fact');
      expect(indexes(last)).not.toContain('api_disputes_one_open');
    } finally {
      last.close();
    }
  });
});
