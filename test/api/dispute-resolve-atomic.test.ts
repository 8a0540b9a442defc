import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi } from '../../src/api/open-api.js';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Answering a fact dispute was three transactions: the dispute row claimed (open -> upheld), the
// retraction stored through ingest, the `dispute.resolve` entry appended. A server killed between
// them left the dispute upheld with no entry (`credence audit verify` names it), or upheld with no
// retraction: the person told their dispute was upheld while the fact kept counting. The kill
// cannot be timed from a test; a write that fails (a trigger refusing it) stands for it at that
// point: whatever of the answer is then in the file is what a kill there would have left.
const refuseEntry = (action: string) => `CREATE TRIGGER test_refuse_entry BEFORE INSERT ON audit_log
  WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'the audit entry cannot be written'); END`;
// The retraction cannot be stored, and a dispute once claimed cannot be given back (open again) by
// a second write: what a kill right after the claim's own commit left.
const REFUSE_RETRACTION = `CREATE TRIGGER test_refuse_retraction BEFORE INSERT ON facts
  WHEN NEW.id LIKE 'dispute-%' BEGIN SELECT RAISE(ABORT, 'the retraction cannot be stored'); END;
  CREATE TRIGGER test_refuse_reopen BEFORE UPDATE OF status ON api_disputes
  WHEN OLD.status <> 'open' AND NEW.status = 'open' BEGIN SELECT RAISE(ABORT, 'no second write'); END`;

const count = (file: Database.Database, sql: string, ...args: unknown[]): number =>
  file
    .prepare(sql)
    .pluck()
    .get(...args) as number;

async function openDispute(w: ApiWorld, id: string): Promise<string> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      {
        id,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: new Date(w.clock.now - 3 * 86_400_000).toISOString(),
        subject: { subjectId: w.keys.personSubject },
        data: { amount: 5, items: 1 },
      },
    ],
  });
  expect(sent.body.counts.accepted).toBe(1);
  const d = await w.call('POST', '/v1/me/disputes', w.keys.person, {
    source: 'shop',
    factId: id,
    reason: 'not mine',
  });
  expect(d.status).toBe(200);
  return d.body.id as string;
}

const resolve = (w: ApiWorld, id: string, outcome: string) =>
  w.call('POST', `/v1/disputes/${id}/resolve`, w.keys.operator, { outcome, note: `answer ${outcome}` });

/** The dispute's row, whether its fact is retracted, its retraction stored, and its entries. */
function stateOf(file: Database.Database, id: string, factId: string) {
  return {
    status: file.prepare('SELECT status FROM api_disputes WHERE id = ?').pluck().get(id),
    retracted: count(file, "SELECT count(*) FROM facts WHERE source = 'shop' AND retracts = ?", factId),
    entries: count(
      file,
      "SELECT count(*) FROM audit_log WHERE action = 'dispute.resolve' AND detail LIKE ?",
      `%${id}%`,
    ),
  };
}

function verify(w: ApiWorld): { code: number; out: string } {
  const r = runCli(['audit', 'verify', '--db', w.db]);
  return { code: r.code, out: r.stderr + r.stdout };
}

describe('answering a fact dispute is one write: the row, the retraction and the entry, or none', () => {
  let w: ApiWorld | undefined;
  let file: Database.Database | undefined;
  afterEach(async () => {
    file?.close();
    await w?.dispose();
  });

  it('upheld, its entry cannot be written: the dispute stays open and the fact counts; answered again, all three are stored', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const id = await openDispute(w, 'atomic-up-1');
    file.exec(refuseEntry('dispute.resolve'));

    const failed = await resolve(w, id, 'upheld');
    expect(failed.status, JSON.stringify(failed.body)).not.toBe(200);
    expect(stateOf(file, id, 'atomic-up-1')).toEqual({ status: 'open', retracted: 0, entries: 0 });
    const desk = (await w.call('GET', '/v1/disputes?status=open', w.keys.operator)).body.disputes;
    expect(desk.map((d: { id: string }) => d.id)).toContain(id);

    file.exec('DROP TRIGGER test_refuse_entry');
    const answered = await resolve(w, id, 'upheld');
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).toBe('upheld');
    expect(stateOf(file, id, 'atomic-up-1')).toEqual({ status: 'upheld', retracted: 1, entries: 1 });
    const held = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'atomic-up-1' }])).get(
      'shop/atomic-up-1',
    );
    expect(held?.retracted).toBe(true);
    const v = verify(w);
    expect(v.code, v.out).toBe(0);
  });

  it('upheld, its retraction cannot be stored: the dispute is not left upheld over a fact that still counts', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const id = await openDispute(w, 'atomic-up-2');
    file.exec(REFUSE_RETRACTION);

    const failed = await resolve(w, id, 'upheld');
    expect(failed.status, JSON.stringify(failed.body)).not.toBe(200);
    expect(stateOf(file, id, 'atomic-up-2')).toEqual({ status: 'open', retracted: 0, entries: 0 });

    file.exec('DROP TRIGGER test_refuse_retraction; DROP TRIGGER test_refuse_reopen');
    const answered = await resolve(w, id, 'upheld');
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(stateOf(file, id, 'atomic-up-2')).toEqual({ status: 'upheld', retracted: 1, entries: 1 });
    const v = verify(w);
    expect(v.code, v.out).toBe(0);
  });

  it('rejected, its entry cannot be written: the dispute stays open; answered again, verify passes', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const id = await openDispute(w, 'atomic-rej-1');
    file.exec(refuseEntry('dispute.resolve'));

    const failed = await resolve(w, id, 'rejected');
    expect(failed.status, JSON.stringify(failed.body)).not.toBe(200);
    expect(stateOf(file, id, 'atomic-rej-1')).toEqual({ status: 'open', retracted: 0, entries: 0 });

    file.exec('DROP TRIGGER test_refuse_entry');
    const answered = await resolve(w, id, 'rejected');
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(stateOf(file, id, 'atomic-rej-1')).toEqual({ status: 'rejected', retracted: 0, entries: 1 });
    const v = verify(w);
    expect(v.code, v.out).toBe(0);
  });

  it('upheld while another writer answers it: the retraction batch finds the dispute closed and is refused whole (409)', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const id = await openDispute(w, 'atomic-meanwhile');
    // Another server's answer, committed after this one read the dispute open and before its
    // retraction's batch writes the row: stands here as a write in the batch's own transaction.
    file.exec(`CREATE TRIGGER test_answered_meanwhile AFTER INSERT ON facts WHEN NEW.id LIKE 'dispute-%'
      BEGIN UPDATE api_disputes SET status = 'rejected', resolved_at = 1 WHERE id = '${id}'; END`);

    const refused = await resolve(w, id, 'upheld');
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'CREDENCE_E_STATE',
      message: `dispute ${id} was already rejected`,
    });
    expect(stateOf(file, id, 'atomic-meanwhile')).toEqual({ status: 'open', retracted: 0, entries: 0 });

    // The failed batch is let go: the next answer is judged and stored afresh.
    file.exec('DROP TRIGGER test_answered_meanwhile');
    const answered = await resolve(w, id, 'upheld');
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(stateOf(file, id, 'atomic-meanwhile')).toEqual({ status: 'upheld', retracted: 1, entries: 1 });
    const v = verify(w);
    expect(v.code, v.out).toBe(0);
  });

  it('two servers on one file answering one dispute at once: one answer is stored whole, the other is 409 and stores nothing', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const world = w;
    const second: OpenedApi = await openApi(world.db, { clock: () => world.clock.now });
    try {
      const onSecond = (id: string, outcome: string) =>
        second.server.inject({
          method: 'POST',
          url: `/v1/disputes/${id}/resolve`,
          headers: { authorization: `Bearer ${world.keys.operator}` },
          payload: { outcome, note: `answer ${outcome}` },
        });
      for (const [n, outcomes] of [
        [1, ['upheld', 'upheld']],
        [2, ['upheld', 'rejected']],
        [3, ['rejected', 'upheld']],
      ] as const) {
        const factId = `atomic-two-${n}`;
        const id = await openDispute(world, factId);
        const [a, b] = await Promise.all([resolve(world, id, outcomes[0]), onSecond(id, outcomes[1])]);
        const statuses = [a.status, b.statusCode];
        expect(
          statuses.toSorted(),
          `${a.status} ${JSON.stringify(a.body)} ${b.statusCode} ${b.body}`,
        ).toEqual([200, 409]);
        const loser = a.status === 409 ? a.body : b.json();
        expect(loser.error.code).toBe('CREDENCE_E_STATE');
        const won = a.status === 200 ? outcomes[0] : outcomes[1];
        expect(stateOf(file, id, factId)).toEqual({
          status: won,
          retracted: won === 'upheld' ? 1 : 0,
          entries: 1,
        });
      }
      const v = verify(world);
      expect(v.code, v.out).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('opening and withdrawing are one write each: a row whose entry cannot be written is not stored', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const world = w;
    const sent = await world.call('POST', '/v1/facts', world.keys.furnisher, {
      facts: [
        {
          id: 'atomic-open-1',
          source: 'shop',
          type: 'purchase.completed',
          occurredAt: new Date(world.clock.now - 3 * 86_400_000).toISOString(),
          subject: { subjectId: world.keys.personSubject },
          data: { amount: 5, items: 1 },
        },
      ],
    });
    expect(sent.body.counts.accepted).toBe(1);
    const body = { source: 'shop', factId: 'atomic-open-1', reason: 'not mine' };
    const rows = () =>
      count(file as Database.Database, "SELECT count(*) FROM api_disputes WHERE fact_id = 'atomic-open-1'");

    file.exec(refuseEntry('dispute.open'));
    const notOpened = await world.call('POST', '/v1/me/disputes', world.keys.person, body);
    expect(notOpened.status, JSON.stringify(notOpened.body)).not.toBe(200);
    expect(rows()).toBe(0);
    file.exec('DROP TRIGGER test_refuse_entry');
    const opened = await world.call('POST', '/v1/me/disputes', world.keys.person, body);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const id = opened.body.id as string;

    file.exec(refuseEntry('dispute.withdraw'));
    const kept = await world.call('POST', `/v1/me/disputes/${id}/withdraw`, world.keys.person);
    expect(kept.status, JSON.stringify(kept.body)).not.toBe(200);
    expect(file.prepare('SELECT status FROM api_disputes WHERE id = ?').pluck().get(id)).toBe('open');
    file.exec('DROP TRIGGER test_refuse_entry');
    const withdrawn = await world.call('POST', `/v1/me/disputes/${id}/withdraw`, world.keys.person);
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    const v = verify(world);
    expect(v.code, v.out).toBe(0);
  });
});
