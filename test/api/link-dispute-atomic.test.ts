import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/open-api.js';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An identity-link dispute was written as its row and then, by the route, its entries: opened, the
// row then `dispute.open`; upheld, the split committed, the row updated, then `dispute.resolve`
// and `identity.split`. A server killed between them held a dispute the log never recorded, or a
// record split off a person with no entry saying why (`credence audit verify` names the dispute).
// A trigger refusing the entry stands for the kill at that point, as in dispute-resolve-atomic.
const refuseEntry = (action: string) => `CREATE TRIGGER test_refuse_entry BEFORE INSERT ON audit_log
  WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'the audit entry cannot be written'); END`;

/** A person with two linked records or more, one of which (not the first made) is disputed. */
async function linkToDispute(w: ApiWorld): Promise<{ subject: string; token: string; record: string }> {
  const store = w.api.ctx.app.store;
  for (const subject of await store.subjectsPage('', 40)) {
    const links = (await store.personFile(subject)).links ?? [];
    const link = links.find((l) => l.decision !== 'new');
    if (links.length < 2 || !link) continue;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: `person ${subject}`, subject })).token;
    return { subject, token, record: link.recordId };
  }
  throw new Error('no person with two records in the world');
}

describe('an identity-link dispute is one write each time: its row and its entries, or none', () => {
  let w: ApiWorld | undefined;
  let file: Database.Database | undefined;
  afterEach(async () => {
    file?.close();
    await w?.dispose();
  });

  it('opened, upheld and withdrawn with entries that cannot be written: nothing of them is stored', async () => {
    w = await makeApiWorld({ people: 40 });
    const world = w;
    const db = new Database(world.db);
    file = db;
    const { subject, token, record } = await linkToDispute(world);
    const rows = () => db.prepare('SELECT count(*) FROM api_link_disputes').pluck().get() as number;
    const holder = async () => (await world.api.ctx.app.store.identityRecordSubjects([record])).get(record);

    db.exec(refuseEntry('dispute.open'));
    const notOpened = await world.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    expect(notOpened.status, JSON.stringify(notOpened.body)).not.toBe(200);
    expect(rows()).toBe(0);
    db.exec('DROP TRIGGER test_refuse_entry');
    const opened = await world.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const id = opened.body.id as string;

    db.exec(refuseEntry('identity.split'));
    const notSplit = await world.call('POST', `/v1/disputes/${id}/resolve`, world.keys.operator, {
      outcome: 'upheld',
      note: 'two people',
    });
    expect(notSplit.status, JSON.stringify(notSplit.body)).not.toBe(200);
    expect(db.prepare('SELECT status FROM api_link_disputes WHERE id = ?').pluck().get(id)).toBe('open');
    expect(await holder()).toBe(subject);
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'dispute.resolve'").pluck().get()).toBe(
      0,
    );

    db.exec('DROP TRIGGER test_refuse_entry');
    db.exec(refuseEntry('dispute.withdraw'));
    const kept = await world.call('POST', `/v1/me/disputes/${id}/withdraw`, token);
    expect(kept.status, JSON.stringify(kept.body)).not.toBe(200);
    expect(db.prepare('SELECT status FROM api_link_disputes WHERE id = ?').pluck().get(id)).toBe('open');

    db.exec('DROP TRIGGER test_refuse_entry');
    const split = await world.call('POST', `/v1/disputes/${id}/resolve`, world.keys.operator, {
      outcome: 'upheld',
      note: 'two people',
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    expect(split.body).toMatchObject({ status: 'upheld' });
    expect(await holder()).toBe(split.body.splitTo);
    expect(split.body.splitTo).not.toBe(subject);
    const actions = db
      .prepare(
        "SELECT action FROM audit_log WHERE action IN ('dispute.resolve', 'identity.split') ORDER BY seq",
      )
      .pluck()
      .all();
    expect(actions).toEqual(['dispute.resolve', 'identity.split']);
    const v = runCli(['audit', 'verify', '--db', world.db]);
    expect(v.code, v.stderr + v.stdout).toBe(0);
  });

  it('two servers on one file answering one link dispute at once: one answer is taken, the other is 409', async () => {
    w = await makeApiWorld({ people: 40 });
    const world = w;
    file = new Database(world.db);
    const { token, record } = await linkToDispute(world);
    const opened = await world.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const id = opened.body.id as string;
    const second = await openApi(world.db, { clock: () => world.clock.now });
    try {
      const body = { outcome: 'upheld', note: 'two people' };
      const [a, b] = await Promise.all([
        world.call('POST', `/v1/disputes/${id}/resolve`, world.keys.operator, body),
        second.server.inject({
          method: 'POST',
          url: `/v1/disputes/${id}/resolve`,
          headers: { authorization: `Bearer ${world.keys.operator}` },
          payload: { outcome: 'rejected', note: 'one person' },
        }),
      ]);
      expect([a.status, b.statusCode].toSorted(), `${JSON.stringify(a.body)} ${b.body}`).toEqual([200, 409]);
      const resolutions = (file as Database.Database)
        .prepare("SELECT detail FROM audit_log WHERE action = 'dispute.resolve'")
        .pluck()
        .all()
        .map((d) => (JSON.parse(d as string) as { outcome: string }).outcome);
      const status = (file as Database.Database)
        .prepare('SELECT status FROM api_link_disputes WHERE id = ?')
        .pluck()
        .get(id);
      expect(resolutions).toEqual([status]);
      const v = runCli(['audit', 'verify', '--db', world.db]);
      expect(v.code, v.stderr + v.stdout).toBe(0);
    } finally {
      await second.close();
    }
  });
});
