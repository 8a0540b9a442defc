import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';

const HEADER =
  'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time';

// docs/sources.md: a file that is not UTF-8 is refused before any row is read. A large export with
// one row saved in GBK near its end (a name pasted from another system) had its first tens of
// thousands of rows imported before the bad byte was met, and the refusal named a line thousands of
// rows before the one at fault.
describe('a large file that is not UTF-8 near its end (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused before any row is imported, naming the line of the first bad byte', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const rows = Array.from(
      { length: 40_000 },
      (_, i) =>
        `pay-${String(i).padStart(8, '0')},payment,2026-06-08T05:57:00Z,pay:acct${i % 500},,,Lin Wei,${(i % 900) + 1}.00,,,,,`,
    );
    const good = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`, 'utf8');
    // 王 in GBK (0xCD 0xF5): not UTF-8. It is on line 40,002 (the header is line 1).
    const bad = Buffer.concat([
      Buffer.from('pay-x,payment,2026-06-08T05:57:00Z,pay:a,,,', 'utf8'),
      Buffer.from([0xcd, 0xf5]),
      Buffer.from(',1.00,,,,,\n', 'utf8'),
    ]);
    const file = join(w.dir, 'pay.csv');
    writeFileSync(file, Buffer.concat([good, bad]));
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'pay', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pay\.csv is not UTF-8 text .*line 40002\b/);
    expect(dumpDatabase(w.db)).toEqual(before);
  });
});
