import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';

// Excel's "Unicode Text" and PowerShell 5 save UTF-16. With a byte order mark the import said only
// "an invalid byte at line 1"; without one (iconv -t UTF-16LE, .NET's Encoding.Unicode) every NUL
// between the letters is valid UTF-8, so the file was read: the header "lacked" the columns the
// mapping reads, though docs/sources.md says a file that is not UTF-8 is refused before any row.
const CSV =
  'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time\n' +
  'pay-1,payment,2026-06-08T05:57:00Z,pay:wei,+8615642634224,500103195809216697,Lin Wei,464.64,,,,,\n';

describe('a furnisher file saved as UTF-16 (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused as UTF-16, with or without a byte order mark, before any row is read', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const le = Buffer.from(CSV, 'utf16le');
    for (const [name, bytes, says] of [
      ['bom-le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'byte order mark FF FE'],
      [
        'bom-be.csv',
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]),
        'byte order mark FE FF',
      ],
      ['le.csv', le, 'no byte order mark'],
      ['be.csv', Buffer.from(le).swap16(), 'no byte order mark'],
    ] as const) {
      const file = join(w.dir, name);
      writeFileSync(file, bytes);
      const r = w.run(['import', 'pay', file]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(
        `${file} is UTF-16 text (${says}), not UTF-8: save it as UTF-8 and import it again`,
      );
    }
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });
});
