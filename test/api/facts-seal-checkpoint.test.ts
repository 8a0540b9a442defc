import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi } from '../../src/api/open-api.js';
import { type FactSeal, factRowDigest, type SealedFactRow } from '../../src/store/sqlite/fact-seal.js';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// Issue #6: the CLI's facts.ingest entries hold the facts' seal as the ingest left it, so an edit
// of a fact that also recomputes `fact_seal` is named by the first such checkpoint. A batch sent to
// POST /v1/facts got no checkpoint: its facts could be edited, the seal forged to match, and
// `credence audit verify` passed. The API, a real file, the real binary on a copy of it.

const facts = [
  shopFact('sealed-1', { given_name: 'Hui', surname: 'Zhao', phone: '+8613900000081' }),
  shopFact('sealed-2', { given_name: 'Min', surname: 'Qian', phone: '+8613900000082' }),
];

let n = 0;
function copyOf(w: ApiWorld): string {
  const copy = join(w.dir, `copy${n++}.db`);
  copyFileSync(w.db, copy);
  if (existsSync(`${w.db}-wal`)) copyFileSync(`${w.db}-wal`, `${copy}-wal`);
  return copy;
}

/** Moves a fact a day and rewrites the stored seal to match the rows, as an editor with sqlite3 would. */
function forge(path: string, id: string): void {
  const db = new Database(path);
  const row = db
    .prepare('SELECT seq, source, id, type, at, hash, retracts, received_at FROM facts WHERE id = ?')
    .raw()
    .get(id) as unknown as SealedFactRow;
  const day = 86_400_000;
  db.prepare('UPDATE facts SET at = at - ? WHERE seq = ?').run(day, row[0]);
  const moved: SealedFactRow = [row[0], row[1], row[2], row[3], row[4] - day, row[5], row[6], row[7]];
  const seal = db.prepare('SELECT digest FROM fact_seal').pluck().get() as string;
  const forged = (BigInt(`0x${seal}`) - factRowDigest(row) + factRowDigest(moved)) & ((1n << 256n) - 1n);
  db.prepare('UPDATE fact_seal SET digest = ?').run(forged.toString(16).padStart(64, '0'));
  db.close();
}

describe('POST /v1/facts: the facts.ingest entry holds the facts’ seal as the batch left it', () => {
  let w: ApiWorld | undefined;
  afterEach(async () => {
    await w?.dispose();
    w = undefined;
  });

  it('a fact of the batch edited and its seal forged fails audit verify at that entry; the clean file passes', async () => {
    w = await makeApiWorld({ people: 3 });
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.counts).toMatchObject({ accepted: 2 });

    const file = new Database(w.db, { readonly: true });
    const entry = file.prepare("SELECT seq, detail FROM audit_log WHERE action = 'facts.ingest'").get() as {
      seq: number;
      detail: string;
    };
    const seal = file.prepare('SELECT epoch, through, count, digest FROM fact_seal').get() as FactSeal;
    const listed = file.prepare('SELECT entry FROM seal_checkpoints').pluck().all();
    const version = file.pragma('user_version', { simple: true });
    file.close();
    // The seal of exactly the rows committed with the entry: nothing was written after the batch.
    expect(JSON.parse(entry.detail)).toMatchObject({
      importId: sent.body.importId,
      factSeal: seal,
      schema: version,
    });
    expect(listed).toContain(entry.seq);

    const clean = runCli(['audit', 'verify', '--db', copyOf(w)]);
    expect(clean.code, clean.stderr + clean.stdout).toBe(0);

    const edited = copyOf(w);
    forge(edited, 'sealed-2');
    const r = runCli(['audit', 'verify', '--db', edited]);
    expect(r.code, r.stderr + r.stdout).toBe(8);
    expect(r.stderr).toContain(`audit_log[seq=${entry.seq}]`);
    expect(r.stderr).toContain('CREDENCE_E_AUDIT_BROKEN');
  }, 120_000);

  it('two servers on one file, batches interleaved: one valid chain, each entry checkpointed, a forged fact named by the first checkpoint over it', async () => {
    w = await makeApiWorld({ people: 3 });
    const world = w;
    const other: OpenedApi = await openApi(world.db, { clock: () => world.clock.now });
    try {
      const post = async (api: OpenedApi, batch: unknown[]) => {
        const res = await api.server.inject({
          method: 'POST',
          url: '/v1/facts',
          headers: { authorization: `Bearer ${world.keys.furnisher}` },
          payload: { facts: batch },
        });
        return res.statusCode;
      };
      const subject = (i: number) => ({ phone: `+86139000001${String(i).padStart(2, '0')}` });
      // Alternately, one at a time: each server's writer commits after the other's, on one chain.
      // (Sent at once, two new persons' batches can keep refusing each other's person ids: a 409
      // to the client, which is not what this test is about.)
      for (let i = 0; i < 8; i++) {
        const batch = [shopFact(`two-${i}a`, subject(i)), shopFact(`two-${i}b`, subject(i))];
        expect(await post(i % 2 === 0 ? world.api : other, batch)).toBe(200);
      }
    } finally {
      await other.close();
    }

    const file = new Database(world.db, { readonly: true });
    const entries = file
      .prepare("SELECT seq, detail FROM audit_log WHERE action = 'facts.ingest' ORDER BY seq")
      .all() as { seq: number; detail: string }[];
    const listed = new Set(file.prepare('SELECT entry FROM seal_checkpoints').pluck().all());
    const forgedSeq = file.prepare("SELECT seq FROM facts WHERE id = 'two-3a'").pluck().get() as number;
    file.close();
    expect(entries).toHaveLength(8);
    const seals = entries.map((e) => ({
      seq: e.seq,
      seal: (JSON.parse(e.detail) as { factSeal: FactSeal }).factSeal,
    }));
    for (const e of seals) {
      expect(e.seal).toMatchObject({ epoch: 0 });
      expect(listed.has(e.seq)).toBe(true);
    }

    const clean = runCli(['audit', 'verify', '--db', copyOf(world)]);
    expect(clean.code, clean.stderr + clean.stdout).toBe(0);

    const edited = copyOf(world);
    forge(edited, 'two-3a');
    const first = seals.find((e) => e.seal.through >= forgedSeq);
    expect(first).toBeDefined();
    const r = runCli(['audit', 'verify', '--db', edited]);
    expect(r.code, r.stderr + r.stdout).toBe(8);
    expect(r.stderr).toContain(`audit_log[seq=${first?.seq}]`);
  }, 120_000);
});
