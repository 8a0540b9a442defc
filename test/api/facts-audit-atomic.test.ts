import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// A batch's facts were committed on the writer thread and its import row and `facts.ingest` entry
// afterwards, in a second transaction on the server's other connection: a server killed between
// the two (SIGKILL, a power cut) left facts that count in scores and that the audit log never
// recorded, under an import nobody could look up. The kill cannot be timed from a test; an entry
// whose write fails (a trigger refusing it) stands for it, at the same point: whatever of the batch
// is then in the file is what a kill there would have left.
const REFUSE_ENTRY = `CREATE TRIGGER test_refuse_ingest_entry BEFORE INSERT ON audit_log
  WHEN NEW.action = ? BEGIN SELECT RAISE(ABORT, 'the audit entry cannot be written'); END`;

const facts = [
  shopFact('atomic-1', { given_name: 'Hui', surname: 'Zhao', phone: '+8613900000071' }),
  shopFact('atomic-2', { given_name: 'Min', surname: 'Qian', phone: '+8613900000072' }),
];

const count = (file: Database.Database, sql: string, ...args: unknown[]): number =>
  file
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe('POST /v1/facts: a batch is stored with its import and its audit entry, or not at all', () => {
  let w: ApiWorld | undefined;
  let file: Database.Database | undefined;
  afterEach(async () => {
    file?.close();
    await w?.dispose();
  });

  it('an entry that cannot be written leaves no fact and no import; sent again, all three are stored and verify passes', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    file.exec(REFUSE_ENTRY.replace('?', "'facts.ingest'"));

    const refused = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(refused.status, JSON.stringify(refused.body)).not.toBe(200);
    expect(count(file, "SELECT count(*) FROM facts WHERE source = 'shop' AND id LIKE 'atomic-%'")).toBe(0);
    expect(count(file, 'SELECT count(*) FROM api_imports')).toBe(0);

    file.exec('DROP TRIGGER test_refuse_ingest_entry');
    // The client sends the batch again, as it does after any failed request.
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.counts).toMatchObject({ facts: 2, accepted: 2, duplicates: 0, rejected: 0 });
    expect(count(file, "SELECT count(*) FROM facts WHERE source = 'shop' AND id LIKE 'atomic-%'")).toBe(2);

    const status = await w.call('GET', `/v1/imports/${sent.body.importId}`, w.keys.furnisher);
    expect(status.status).toBe(200);
    expect(status.body.counts).toEqual(sent.body.counts);
    const entries = file
      .prepare("SELECT detail FROM audit_log WHERE action = 'facts.ingest'")
      .pluck()
      .all()
      .map((d) => JSON.parse(d as string) as { importId: string; accepted: number });
    expect(entries).toEqual([expect.objectContaining({ importId: sent.body.importId, accepted: 2 })]);

    const verified = runCli(['audit', 'verify', '--db', w.db]);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
  });

  it('facts refused to the key are logged as auth.refused in the same transaction as the rest of the batch', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    file.exec(REFUSE_ENTRY.replace('?', "'auth.refused'"));
    const mixed = [facts[0], { ...shopFact('atomic-x', { phone: '+8613900000074' }), source: 'bank' }];

    const refused = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: mixed });
    expect(refused.status, JSON.stringify(refused.body)).not.toBe(200);
    expect(count(file, "SELECT count(*) FROM facts WHERE source = 'shop' AND id LIKE 'atomic-%'")).toBe(0);
    expect(count(file, "SELECT count(*) FROM audit_log WHERE action = 'facts.ingest'")).toBe(0);

    file.exec('DROP TRIGGER test_refuse_ingest_entry');
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: mixed });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.counts).toMatchObject({ accepted: 1, rejected: 1 });
    const actions = file
      .prepare("SELECT action FROM audit_log WHERE action IN ('facts.ingest', 'auth.refused') ORDER BY seq")
      .pluck()
      .all();
    expect(actions).toEqual(['facts.ingest', 'auth.refused']);
  });

  it('a batch of refusals and duplicates only (nothing to store) still has its import and entry', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    const first = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(first.status).toBe(200);
    const again = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [...facts, { ...shopFact('atomic-3', { phone: '+8613900000073' }), type: 'no.such.type' }],
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.counts).toMatchObject({ facts: 3, accepted: 0, duplicates: 2, rejected: 1 });
    const status = await w.call('GET', `/v1/imports/${again.body.importId}`, w.keys.furnisher);
    expect(status.status).toBe(200);
    expect(status.body.rejections).toEqual([expect.objectContaining({ index: 2, status: 'rejected' })]);
    expect(
      count(file, "SELECT count(*) FROM audit_log WHERE action = 'facts.ingest' AND detail LIKE ?", [
        `%${again.body.importId}%`,
      ]),
    ).toBe(1);
  });

  it('an opt-out over HTTP is stored with its consent.change entry, or not at all', async () => {
    w = await makeApiWorld({ people: 3 });
    file = new Database(w.db);
    file.exec(REFUSE_ENTRY.replace('?', "'consent.change'"));
    const consentFacts = "SELECT count(*) FROM facts WHERE source = 'credence' AND type = 'credence.opt_out'";
    const body = { program: 'marketplace', action: 'opt-out' };

    const refused = await w.call('POST', '/v1/me/consent', w.keys.person, body);
    expect(refused.status, JSON.stringify(refused.body)).not.toBe(200);
    expect(count(file, consentFacts)).toBe(0);
    expect(count(file, 'SELECT count(*) FROM consents WHERE subject = ?', w.keys.personSubject)).toBe(0);

    file.exec('DROP TRIGGER test_refuse_ingest_entry');
    const sent = await w.call('POST', '/v1/me/consent', w.keys.person, body);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.unchanged).toBe(false);
    expect(count(file, consentFacts)).toBe(1);
    const entries = file
      .prepare("SELECT detail FROM audit_log WHERE action = 'consent.change' AND subject = ?")
      .pluck()
      .all(w.keys.personSubject)
      .map((d) => JSON.parse(d as string) as { fact: string });
    expect(entries).toEqual([expect.objectContaining({ fact: `credence/${sent.body.factId}` })]);
    const verified = runCli(['audit', 'verify', '--db', w.db]);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
  });
});
