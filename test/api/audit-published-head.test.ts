import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../src/audit/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A rewrite of the whole chain, every hash and the head recomputed, passes verification: docs/api.md
// says to publish the head hash and check it later. But the log grows with every read (a verify
// over the API logs one too), so that entry is no longer the head when checked, and the API had
// no way to check against it at all. GET /v1/audit/verify?published=HASH requires the entry with
// that hash to be still in the chain, at or before the head.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

const verify = (published?: string) =>
  w.call('GET', `/v1/audit/verify${published ? `?published=${published}` : ''}`, w.keys.operator);

const ask = () =>
  w.call('GET', `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`, w.keys.rp);

interface Row {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  purpose: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

describe('a head published earlier', () => {
  it('is found in the grown chain, and its absence names a rewrite the chain alone passes', async () => {
    await ask();
    const first = (await verify()).body;
    expect(first.ok).toBe(true);
    const published = first.head.hash as string;
    await ask();
    await ask();

    const later = await verify(published);
    expect(later.status).toBe(200);
    expect(later.body.ok).toBe(true);
    expect(later.body.head.seq).toBeGreaterThan(first.head.seq);
    expect(later.body.published).toEqual({ seq: first.head.seq, hash: published });

    // A forger with the file rewrites the first inquiry's score and re-seals everything after it.
    const raw = new Database(w.db);
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update;');
    const rows = raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
    const target = rows.find((r) => r.action === 'score.query') as Row;
    let prev = rows[rows.indexOf(target) - 1]?.hash ?? '0'.repeat(64);
    const update = raw.prepare('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const r of rows.slice(rows.indexOf(target))) {
      const detail = r.seq === target.seq ? r.detail.replace(/"score":\d+/, '"score":949') : r.detail;
      expect(r.seq !== target.seq || detail !== r.detail).toBe(true);
      const hash = entryHash({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        purpose: r.purpose,
        detail,
        prevHash: prev,
      });
      update.run(detail, prev, hash, r.seq);
      prev = hash;
    }
    raw.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(rows.at(-1)?.seq, prev);
    raw.close();

    const plain = (await verify()).body;
    expect(plain.ok).toBe(true);
    const held = (await verify(published)).body;
    expect(held.ok).toBe(false);
    expect(held.problem.kind).toBe('published-missing');
    expect(held.problem.reason).toContain(published);
    expect(held.published).toBeUndefined();

    const bad = await verify('not-a-hash');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('querystring.published');
  });
});
