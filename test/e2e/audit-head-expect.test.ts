import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, sealEntry } from '../../src/audit/audit-entry.js';
import { MARKETPLACE, makeWorld, ok, payment, runCli, type World } from './cli.js';

// Issue #6: a rewrite of the whole chain, every hash and the head recomputed, is not visible from
// inside the file; only a head kept elsewhere shows it. `credence audit head` prints the head to
// publish (SEQ:HASH) and `credence audit verify --expect SEQ:HASH` requires that entry to be in
// the chain as published. The real binary, a real database.

let w: World;
let published: string;
let n = 0;

beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const lines = Array.from({ length: 6 }, (_, i) =>
    payment(`p${i}`, `2026-03-0${i + 1}T08:00:00Z`, { phone: `+861380013800${i % 2}` }, 50 + i),
  );
  ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
  published = ok(w.run(['audit', 'head'])).stdout.trim();
  // The log grows after the head was published: a read, and a write.
  ok(w.run(['score', '+8613800138000', '--program', 'marketplace']));
  ok(w.run(['consent', '+8613800138001', '--program', 'marketplace', '--opt-out']));
}, 120_000);
afterAll(() => w?.dispose());

/** A copy of the database whose chain was rewritten from entry `from`: its detail changed, every later hash and the head recomputed. */
function rewritten(from: number): string {
  const copy = join(w.dir, `copy${n++}.db`);
  copyFileSync(w.db, copy);
  if (existsSync(`${w.db}-wal`)) copyFileSync(`${w.db}-wal`, `${copy}-wal`);
  const db = new Database(copy);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as {
    seq: number;
    at: number;
    actor: string;
    action: string;
    subject: string | null;
    purpose: string | null;
    detail: string;
    hash: string;
  }[];
  let prev = GENESIS_HASH;
  const set = db.prepare('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const detail = JSON.parse(r.detail) as Record<string, unknown>;
    if (r.seq === from) detail.forged = true;
    const e = sealEntry(
      {
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject ?? undefined,
        purpose: r.purpose ?? undefined,
        detail,
      },
      r.seq - 1,
      prev,
    );
    set.run(e.detail, e.prevHash, e.hash, r.seq);
    prev = e.hash;
  }
  db.prepare('UPDATE audit_head SET hash = ?').run(prev);
  db.close();
  return copy;
}

describe('credence audit head and verify --expect (real binary)', () => {
  it('prints the head as verify finds it, as SEQ:HASH and as JSON', () => {
    const head = ok(w.run(['audit', 'head'])).stdout.trim();
    const verified = w.json<{ ok: boolean; head: { seq: number; hash: string } }>(['audit', 'verify']);
    expect(verified.ok).toBe(true);
    expect(head).toBe(`${verified.head.seq}:${verified.head.hash}`);
    expect(w.json(['audit', 'head'])).toEqual(verified.head);
  });

  it('passes with a head published earlier, the log grown since', () => {
    const [seq] = published.split(':');
    const r = ok(w.run(['audit', 'verify', '--expect', published]));
    expect(r.stdout).toContain(`the published entry ${seq} is in the chain as published`);
  });

  it('a chain rewritten whole passes on its own, and fails against the published head, naming that entry', () => {
    const [seq] = published.split(':');
    const copy = rewritten(2);
    ok(runCli(['audit', 'verify', '--db', copy]));
    const r = runCli(['audit', 'verify', '--db', copy, '--expect', published]);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(`audit_log[seq=${seq}]`);
    expect(r.stderr).toMatch(new RegExp(`entry ${seq} has hash [0-9a-f]{64}, not the published`));
    expect(r.stderr).toContain('CREDENCE_E_AUDIT_BROKEN');
  });

  it('a rewrite after the published entry is not what it vouches for: that entry still holds', () => {
    const [seq] = published.split(':');
    ok(runCli(['audit', 'verify', '--db', rewritten(Number(seq) + 1), '--expect', published]));
  });

  it('fails for an entry past the head (a log cut, or rewritten shorter), and refuses a malformed head', () => {
    const head = ok(w.run(['audit', 'head'])).stdout.trim();
    const [seq, hash] = head.split(':');
    const r = w.run(['audit', 'verify', '--expect', `${Number(seq) + 5}:${hash}`]);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(`is not in the chain (its head is ${seq})`);
    const bad = w.run(['audit', 'verify', '--expect', `${seq}-${hash}`]);
    expect(bad.code).not.toBe(0);
    expect(bad.code).not.toBe(8);
    expect(bad.stderr).toMatch(/--expect takes an entry as `credence audit head` prints it, SEQ:HASH/);
    expect(bad.stderr).toContain('CREDENCE_E_USAGE');
  });
});
