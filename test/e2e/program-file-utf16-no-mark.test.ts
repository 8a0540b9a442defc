import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// A rulebook saved as UTF-16 without a byte order mark (iconv -t UTF-16LE, .NET's
// Encoding.Unicode) passed the UTF-8 check, since the NULs between its letters are valid UTF-8, and
// was told as "the file is the single value "p\u0000r\u0000o\u0000…"", the whole file spelt out.

describe('a rulebook saved as UTF-16 without a byte order mark (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it.each([['load'], ['compare']])('program %s names the encoding', (verb) => {
    w = makeWorld();
    const le = Buffer.from('program: x\nname: X\n', 'utf16le');
    for (const [name, bytes] of [
      ['le.yaml', le],
      ['be.yaml', Buffer.from(le).swap16()],
    ] as const) {
      writeFileSync(join(w.dir, name), bytes);
      const r = w.run(['program', verb as string, name]);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toBe(
        `error: cannot read ${name}: it is UTF-16 text (no byte order mark), not UTF-8: save it as UTF-8\n  [CREDENCE_E_IO]\n`,
      );
    }
  });
});
