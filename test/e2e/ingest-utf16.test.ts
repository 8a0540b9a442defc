import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from './cli.js';

// Windows PowerShell 5 writes `>` redirections as UTF-16 with a byte order mark, and Notepad's
// "Unicode" is UTF-16 too. Read as UTF-8, every line was refused for JSON that looked fine
// ("Unexpected token ' '", the NUL bytes between the letters) and the NULs went to the terminal.
const LINE = JSON.stringify({
  id: 'u1',
  source: 'pay',
  type: 'payment.completed',
  occurredAt: '2026-03-01T10:00:00Z',
  subject: { national_id: '11010519861015500X' },
  data: { amount: 20 },
});

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return bigEndian ? le.swap16() : le;
}

describe('credence ingest of a UTF-16 file', () => {
  let w: World | undefined;
  afterEach(() => w?.dispose());

  it('refuses the file by its byte order mark, naming the encoding, before ingesting anything', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const good = join(w.dir, 'good.jsonl');
    writeFileSync(good, `${LINE.replace('"u1"', '"g1"')}\n`);
    for (const [name, bigEndian, mark] of [
      ['le.jsonl', false, 'FF FE'],
      ['be.jsonl', true, 'FE FF'],
    ] as const) {
      const file = join(w.dir, name);
      writeFileSync(file, utf16(`${LINE}\r\n${LINE}\r\n`, bigEndian));
      const r = w.run(['ingest', good, file]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe(
        `error: cannot read ${file}: it is UTF-16 text (byte order mark ${mark}), not UTF-8: save it as UTF-8 and send it again\n  [CREDENCE_E_IO]\n`,
      );
    }
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });

  // Excel's "Unicode Text" and some exporters write UTF-16 with no mark: every line was refused
  // for JSON with "\u0000" in it, and nothing said UTF-16.
  it('refuses a UTF-16 file without a byte order mark the same way', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    for (const [name, bigEndian] of [
      ['le-bare.jsonl', false],
      ['be-bare.jsonl', true],
    ] as const) {
      const file = join(w.dir, name);
      writeFileSync(file, utf16(`${LINE}\n`, bigEndian).subarray(2));
      const r = w.run(['ingest', file]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe(
        `error: cannot read ${file}: it is UTF-16 text (no byte order mark), not UTF-8: save it as UTF-8 and send it again\n  [CREDENCE_E_IO]\n`,
      );
    }
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });
});
