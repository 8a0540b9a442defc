import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';

// The SOURCE of `credence import` is recorded on every fact, and a fact is known by (source, id).
// An empty name was not refused: every row of the file was read and refused, each naming a
// "column source" the file does not have. A name with spaces around it (" pay ", pasted from a
// spreadsheet) was taken as a source of its own: the same export imported again under it stored
// every payment a second time, and the person was paid for twice.
describe('credence import SOURCE names a source (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const csv = [
    'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time',
    'p1,payment,2026-06-08T05:57:00Z,pay:z1,,,Zoe,120,,,,,',
  ].join('\n');

  it.each([
    ['empty', ''],
    ['with spaces around it', ' pay '],
    ['with a control character', 'pay\tx'],
  ])('refuses a name %s before reading any row, and stores nothing', (_what, source) => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'pay.csv');
    writeFileSync(file, csv);
    const r = w.run(['import', source, file, '--mapping', join(ROOT, 'examples/sources/pay.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CREDENCE_E_USAGE/);
    expect(r.stderr).toMatch(/source name/);
    expect(r.stderr).not.toMatch(/pay\.csv:\d/);
    const db = new Database(w.db, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM facts').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('imports under the plain name', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'pay.csv');
    writeFileSync(file, csv);
    const r = w.run(['import', 'pay', file]);
    expect(r.code, r.stderr).toBe(0);
  });
});
