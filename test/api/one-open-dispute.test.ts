import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/open-api.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Opening a dispute looked for an open one of the same fact and then inserted, outside one
// transaction, and nothing in the file refused a second: two servers on one SQLite file could both
// open a dispute of the same fact (or link). The look and the insert are one IMMEDIATE transaction
// now, and a partial unique index holds one open dispute per person and fact (or record); a file
// that already holds duplicates keeps the oldest open and closes the others, logged.
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

const verify = async () => {
  const r = await w.call('GET', '/v1/audit/verify', w.keys.operator);
  expect(r.status).toBe(200);
  return r.body as { ok: boolean; disputes: { ok: boolean; problems: unknown[] } };
};

describe('one open dispute per person and fact', () => {
  it('the file refuses a second open dispute of a fact or a link, whoever writes it', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const f = (file.facts as Fact[])[0] as Fact;
    const a = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'x',
    });
    expect(a.status).toBe(200);
    const record = file.identityLinks[0].record as string;
    const l = await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record, reason: 'not me' });
    expect(l.status).toBe(200);
    const db = raw();
    try {
      expect(() =>
        db
          .prepare(
            `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
             VALUES ('dup-fact', ?, ?, ?, 'again', 1, 2, 'open')`,
          )
          .run(w.keys.personSubject, f.source, f.id),
      ).toThrow(/UNIQUE/);
      expect(() =>
        db
          .prepare(
            `INSERT INTO api_link_disputes (id, subject, record_id, reason, opened_at, due_at, status)
             VALUES ('dup-link', ?, ?, 'again', 1, 2, 'open')`,
          )
          .run(w.keys.personSubject, record),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('two servers on one file opening the same dispute at once open one', async () => {
    const second = await openApi(w.db, { clock: () => w.clock.now });
    try {
      const file = (await w.call('GET', '/v1/me/file', w.keys.other)).body;
      const f = (file.facts as Fact[])[1] as Fact;
      const send = (api: typeof second) =>
        api.server.inject({
          method: 'POST',
          url: '/v1/me/disputes',
          headers: { authorization: `Bearer ${w.keys.other}` },
          payload: { source: f.source, factId: f.id, reason: 'paid' },
        });
      const answers = await Promise.all([send(w.api), send(second), send(w.api), send(second)]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
      const db = raw();
      try {
        const n = db
          .prepare("SELECT count(*) FROM api_disputes WHERE source = ? AND fact_id = ? AND status = 'open'")
          .pluck()
          .get(f.source, f.id);
        expect(n).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      await second.close();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('a file that holds duplicates keeps the oldest open, closes the others with an audit entry, and verifies', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const f = (file.facts as Fact[])[2] as Fact;
    w.clock.now += 60_000;
    const first = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'a',
    });
    expect(first.status).toBe(200);
    // An older version's file: no index, and a second open dispute of the same fact, opened (and
    // logged) by another server a moment later.
    const db = raw();
    try {
      db.exec(
        'DROP INDEX IF EXISTS api_disputes_open_fact; DROP INDEX IF EXISTS api_disputes_one_open; DROP INDEX IF EXISTS api_link_disputes_one_open',
      );
      db.prepare(
        `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
         VALUES ('dup-later', ?, ?, ?, 'b', ?, ?, 'open')`,
      ).run(w.keys.personSubject, f.source, f.id, w.clock.now + 1, w.clock.now + 10 * 86_400_000);
    } finally {
      db.close();
    }
    await w.api.ctx.audit.append({
      at: w.clock.now + 1,
      actor: 'system',
      action: 'dispute.open',
      subject: w.keys.personSubject,
      detail: { dispute: 'dup-later', fact: `${f.source}/${f.id}` },
    });
    w.clock.now += 60_000;
    const upgraded = await openApi(w.db, { clock: () => w.clock.now });
    await upgraded.close();
    const mine = (await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes as {
      id: string;
      status: string;
      note: string | null;
    }[];
    expect(mine.find((d) => d.id === first.body.id)?.status).toBe('open');
    const dup = mine.find((d) => d.id === 'dup-later');
    expect(dup?.status).toBe('withdrawn');
    expect(dup?.note).toContain(first.body.id);
    const v = await verify();
    expect(v.disputes).toMatchObject({ ok: true, problems: [] });
    expect(v.ok).toBe(true);
    // The index is back: a third is refused.
    const again = raw();
    try {
      expect(() =>
        again
          .prepare(
            `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
             VALUES ('dup-third', ?, ?, ?, 'c', 1, 2, 'open')`,
          )
          .run(w.keys.personSubject, f.source, f.id),
      ).toThrow(/UNIQUE/);
    } finally {
      again.close();
    }
  });
});
