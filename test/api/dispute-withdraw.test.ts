import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDb } from '../../src/api/sqlite/api-db.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A person who disputed a fact by mistake, or settled it with the furnisher, had no way to close
// their dispute: no route withdrew it, so the fact stayed suspended (disputes.suspend) and on the
// operator's desk until an operator answered. POST /v1/me/disputes/{id}/withdraw closes it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

interface Line {
  factKey: string;
  program: string;
  raw: number;
}

const score = async (key: string, asOf?: string) =>
  (await w.call('GET', `/v1/me/scores/marketplace${asOf ? `?asOf=${asOf}` : ''}`, key)).body;

describe('a person withdraws a dispute', () => {
  it('lifts the mark from then on, keeps the stretch it was open in replays, and is final for the fact', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    // A fact that moves the marketplace score (a program that suspends disputed facts).
    const line = (file.ledgers as Line[]).find((l) => l.program === 'marketplace' && l.raw !== 0);
    expect(line).toBeDefined();
    const [source, factId] = [
      (line as Line).factKey.slice(0, (line as Line).factKey.indexOf('/')),
      (line as Line).factKey.slice((line as Line).factKey.indexOf('/') + 1),
    ];
    const before = await score(w.keys.person);

    w.clock.now += 60_000;
    const openedAt = new Date(w.clock.now).toISOString();
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, { source, factId, reason: 'paid' });
    expect(opened.status).toBe(200);
    const during = await score(w.keys.person);
    expect(during.score).not.toBe(before.score);

    w.clock.now += 60_000;
    const res = await w.call('POST', `/v1/me/disputes/${opened.body.id}/withdraw`, w.keys.person);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: opened.body.id,
      kind: 'fact',
      status: 'withdrawn',
      resolvedAt: new Date(w.clock.now).toISOString(),
      overdue: false,
    });

    // Counts again now; a replay of the time it was open still has it suspended.
    expect((await score(w.keys.person)).score).toBe(before.score);
    expect((await score(w.keys.person, openedAt)).score).toBe(during.score);
    const after = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(after.facts.find((f: { id: string }) => f.id === factId).disputed).toBe(false);
    expect(after.disputes.find((d: { id: string }) => d.id === opened.body.id).status).toBe('withdrawn');
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.person)).body;
    expect(ex.underDispute).toEqual([]);

    // The desk: listed as withdrawn, no longer open, and cannot be answered.
    const desk = (await w.call('GET', '/v1/disputes?status=withdrawn', w.keys.operator)).body;
    expect(desk.disputes.map((d: { id: string }) => d.id)).toEqual([opened.body.id]);
    const open = (await w.call('GET', '/v1/disputes?status=open', w.keys.operator)).body;
    expect(open.disputes.map((d: { id: string }) => d.id)).not.toContain(opened.body.id);
    const answer = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'late',
    });
    expect(answer.status).toBe(409);
    expect((await score(w.keys.person)).score).toBe(before.score);

    // Withdrawn twice: 409. Disputed anew: refused, naming the withdrawn dispute.
    const twice = await w.call('POST', `/v1/me/disputes/${opened.body.id}/withdraw`, w.keys.person);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CREDENCE_E_STATE');
    const again = await w.call('POST', '/v1/me/disputes', w.keys.person, { source, factId, reason: 'paid!' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(opened.body.id);
    expect((await score(w.keys.person)).score).toBe(before.score);

    // Logged under the person, as every write of theirs is.
    const logged = await w.api.ctx.audit.query({ actions: ['dispute.withdraw'] });
    expect(logged.map((e) => [e.subject, JSON.parse(e.detail)])).toEqual([
      [w.keys.personSubject, { dispute: opened.body.id, fact: `${source}/${factId}` }],
    ]);
  });

  it("refuses another person's dispute as one that does not exist, and changes nothing", async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.other)).body;
    const fact = file.facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.other, {
      source: fact.source,
      factId: fact.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    const theirs = await w.call('POST', `/v1/me/disputes/${opened.body.id}/withdraw`, w.keys.person);
    const none = await w.call('POST', '/v1/me/disputes/no-such-dispute/withdraw', w.keys.person);
    for (const r of [theirs, none]) {
      expect(r.status).toBe(404);
      expect(r.body.error.details[0].field).toBe('id');
    }
    expect(theirs.body.error.message).not.toContain(w.keys.otherSubject);
    const still = (await w.call('GET', '/v1/me/disputes', w.keys.other)).body.disputes;
    expect(still.find((d: { id: string }) => d.id === opened.body.id).status).toBe('open');
    // A body is not read: refused by name, nothing withdrawn.
    const withBody = await w.call('POST', `/v1/me/disputes/${opened.body.id}/withdraw`, w.keys.other, {
      note: 'x',
    });
    expect(withBody.status).toBe(400);
    expect((await w.call('GET', '/v1/me/disputes', w.keys.other)).body.disputes[0].status).toBe('open');
  });

  it('withdraws a dispute of an identity link; the record can be disputed again', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const record = file.identityLinks[0].record;
    const opened = await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record, reason: 'not me' });
    expect(opened.status).toBe(200);
    const res = await w.call('POST', `/v1/me/disputes/${opened.body.id}/withdraw`, w.keys.person);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'link', record, status: 'withdrawn', movedFacts: null });
    expect(res.body.splitTo).toBeUndefined();
    const links = (await w.call('GET', '/v1/me/file', w.keys.person)).body.identityLinks;
    expect(links.find((l: { record: string }) => l.record === record).disputed).toBe(false);
    const answer = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'x',
    });
    expect(answer.status).toBe(409);
    expect((await w.call('GET', '/v1/me/file', w.keys.person)).body.identityLinks).toHaveLength(
      file.identityLinks.length,
    );
    const again = await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record, reason: 'not me' });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(opened.body.id);
    expect(again.body.status).toBe('open');
  });
});

describe('a file whose dispute tables predate withdrawal', () => {
  it('is upgraded on open: every row kept, withdrawn accepted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credence-withdraw-'));
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
        CREATE INDEX api_disputes_subject ON api_disputes (subject);
        CREATE TABLE api_link_disputes (
          id TEXT PRIMARY KEY, subject TEXT NOT NULL, record_id TEXT NOT NULL, reason TEXT NOT NULL,
          opened_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
          resolved_at INTEGER, note TEXT, moved_facts INTEGER, split_to TEXT
        ) WITHOUT ROWID;
        INSERT INTO api_disputes VALUES ('d1', 'P1', 'shop', 'o1', 'why', 1, 2, 'rejected', 3, 'no');
        INSERT INTO api_link_disputes VALUES ('l1', 'P1', 'R1', 'not me', 1, 2, 'upheld', 3, 'ok', 4, 'P2');
      `);
      old.close();
      const db = openApiDb(path);
      try {
        expect(db.prepare('SELECT * FROM api_disputes').all()).toEqual([
          {
            id: 'd1',
            subject: 'P1',
            source: 'shop',
            fact_id: 'o1',
            reason: 'why',
            opened_at: 1,
            due_at: 2,
            status: 'rejected',
            resolved_at: 3,
            note: 'no',
          },
        ]);
        expect(db.prepare('SELECT id, split_to, moved_facts FROM api_link_disputes').all()).toEqual([
          { id: 'l1', split_to: 'P2', moved_facts: 4 },
        ]);
        db.prepare("UPDATE api_disputes SET status = 'withdrawn' WHERE id = 'd1'").run();
        db.prepare("UPDATE api_link_disputes SET status = 'withdrawn' WHERE id = 'l1'").run();
        const indexes = db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'api_%disputes_subject'",
          )
          .pluck()
          .all();
        expect(indexes.sort()).toEqual(['api_disputes_subject', 'api_link_disputes_subject']);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
