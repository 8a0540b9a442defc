import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySealsOf } from '../../src/store/sqlite/seals-file.js';
import { MARKETPLACE, makeWorld, ok, payment, type RunResult, runCli, type World } from './cli.js';

// Issue #6: `credence audit verify` "fails, naming the entry, after any edit of the database
// file". An edit with `sqlite3` changes a row and its indexes together, which the seals see. An
// edit of the file's bytes can change one and not the other: a fact's person changed in its row
// passed, as the persons' seal is summed from the index that covers them (`facts_subject`), and a
// fact's `(source, id)` changed in its index only passed too, though ingest would then store that
// fact a second time. The real binary, a real database, the bytes edited on a copy.

let w: World;
let n = 0;

beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const lines = Array.from({ length: 12 }, (_, i) =>
    payment(
      `p${i}`,
      `2026-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`,
      { phone: `+861380013800${i % 3}` },
      50 + i,
    ),
  );
  ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
}, 120_000);
afterAll(() => w?.dispose());

type Edit = (file: Buffer, db: { subjectOf(id: string): string }) => Buffer;

/** A checkpointed copy of the database (one file, no WAL), its bytes as `edit` leaves them. */
function copyAfterBytes(edit: Edit): string {
  const copy = join(w.dir, `bytes${n++}.db`);
  copyFileSync(w.db, copy);
  if (existsSync(`${w.db}-wal`)) copyFileSync(`${w.db}-wal`, `${copy}-wal`);
  const db = new Database(copy);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const subjects = new Map(
    (db.prepare('SELECT id, subject FROM facts').all() as { id: string; subject: string }[]).map((r) => [
      r.id,
      r.subject,
    ]),
  );
  db.close();
  const edited = edit(readFileSync(copy), { subjectOf: (id) => subjects.get(id) as string });
  writeFileSync(copy, edited);
  return copy;
}

function verifyAfterBytes(edit: Edit): RunResult {
  return runCli(['audit', 'verify', '--db', copyAfterBytes(edit)]);
}

/** Moves fact p4 to p5's person in its row only. */
const personInRow: Edit = (b, db) => {
  const mine = db.subjectOf('p4');
  const other = db.subjectOf('p5');
  expect(other).not.toBe(mine);
  expect(other.length).toBe(mine.length);
  // The row holds source, id and subject side by side; no index holds them so.
  const at = offsets(b, `payp4${mine}`);
  expect(at).toHaveLength(1);
  b.write(other, (at[0] as number) + 'payp4'.length, 'latin1');
  return b;
};

/** Every offset of `needle` in `hay`. */
function offsets(hay: Buffer, needle: string): number[] {
  const found: number[] = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Renames fact p9 to q9 in its `(source, id)` index only. */
const idInIndex: Edit = (b, db) => {
  // Two places hold "payp9": the row (the person's id follows) and the unique index.
  const row = offsets(b, `payp9${db.subjectOf('p9')}`);
  const index = offsets(b, 'payp9').filter((o) => !row.includes(o));
  expect(row).toHaveLength(1);
  expect(index).toHaveLength(1);
  b.write('q', (index[0] as number) + 'pay'.length, 'latin1');
  return b;
};

describe('audit verify after an edit of the file bytes (real binary, real database)', () => {
  it('passes on the copy as Credence left it, and says it checked the pages and indexes', () => {
    const r = ok(verifyAfterBytes((b) => b));
    expect(r.stdout).toMatch(/the pages and indexes of \d+ tables are whole/);
  });

  it("fails naming the fact whose person was changed in its row, not in the index that lists a person's facts", () => {
    const r = verifyAfterBytes(personInRow);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('CREDENCE_E_AUDIT_BROKEN');
    expect(r.stderr).toMatch(/facts\[seq=\d+\]/);
    expect(r.stderr).toMatch(/fact pay\/p4 \(seq \d+\) and its index facts_subject no longer agree/);
  });

  it("fails when a fact's (source, id) was changed in its index only", () => {
    const r = verifyAfterBytes(idInIndex);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('CREDENCE_E_AUDIT_BROKEN');
    expect(r.stderr).toMatch(/sqlite_autoindex_facts_1/);
    expect(r.stderr).toMatch(/facts\[(seq=\d+|index=sqlite_autoindex_facts_1)\]/);
  });

  it('finds both on worker threads too, as a large file is verified', async () => {
    // The seals summed by seq ranges read the row, so the person is told by its seal there.
    expect(await verifySealsOf(copyAfterBytes(personInRow), { workers: 2 })).toMatchObject({ ok: false });
    const r = await verifySealsOf(copyAfterBytes(idInIndex), { workers: 2 });
    expect(r).toMatchObject({ ok: false });
    expect(r?.ok === false && `${r.path} ${r.reason}`).toMatch(/sqlite_autoindex_facts_1/);
  });
});
