import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../api/api-world.js';
import { ok, runCli } from './cli.js';

// `credence audit verify` is the operator's check (issue #6: "fails, naming the entry, after any
// edit of the database file"). The API's verify held the dispute tables to the chain and took a
// published head; the command did neither, so a person's dispute deleted from the file passed
// it, and a head published earlier could not be checked once anything was appended after it.
let w: ApiWorld;
let dispute: string;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
  const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
  const f = (file.facts as { source: string; id: string }[])[0];
  const r = await w.call('POST', '/v1/me/disputes', w.keys.person, {
    source: f?.source,
    factId: f?.id,
    reason: 'not mine',
  });
  expect(r.status).toBe(200);
  dispute = r.body.id as string;
}, 120_000);
afterAll(async () => w.dispose());

const verify = (...args: string[]) => runCli(['audit', 'verify', '--db', w.db, ...args]);

describe('credence audit verify beside a server (real binary, the server’s database)', () => {
  it('holds the disputes to their entries, and names a dispute deleted from the file', () => {
    const clean = ok(verify());
    expect(clean.stdout).toMatch(/1 disputes match their entries/);
    const db = new Database(w.db);
    const row = db.prepare('SELECT * FROM api_disputes WHERE id = ?').get(dispute) as Record<string, unknown>;
    db.prepare('DELETE FROM api_disputes WHERE id = ?').run(dispute);
    const r = verify();
    // Put back for the next test, whatever this one found.
    const cols = Object.keys(row);
    db.prepare(
      `INSERT INTO api_disputes (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    ).run(...Object.values(row));
    db.close();
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(`dispute ${dispute}`);
    expect(r.stderr).toMatch(/no such dispute is held/);
    expect(r.stderr).toMatch(/audit_log\[seq=\d+\]/);
    ok(verify());
  });

  it('takes a head published earlier: still in the chain after more entries, refused when not', async () => {
    const head = (JSON.parse(ok(verify('--json')).stdout) as { head: { seq: number; hash: string } }).head;
    // Reads after publication append entries: the published hash is no longer the head.
    expect((await w.call('GET', '/v1/me/file', w.keys.person)).status).toBe(200);
    const later = ok(verify('--published', head.hash));
    expect(later.stdout).toContain(`the published head (entry ${head.seq}) is in the chain`);
    expect(verify('--expect-head', head.hash).code).toBe(8);
    const missing = verify('--published', 'ab'.repeat(32));
    expect(missing.code).toBe(8);
    expect(missing.stderr).toMatch(/published-missing/);
    const malformed = verify('--published', 'xyz');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--published takes a head hash/);
  });
});
