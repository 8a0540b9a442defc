import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// `credence program load` and `program compare` read a rulebook the operator names. A file saved
// as UTF-16 (PowerShell 5's `>`) was told as "the file is the single value '��'", a Latin-1 file
// as YAML problems, and a folder as Node's "EISDIR: illegal operation on a directory, read".

let w: World;
beforeAll(() => {
  w = makeWorld();
  writeFileSync(join(w.dir, 'utf16.yaml'), Buffer.from('\ufeffprogram: x\n', 'utf16le'));
  writeFileSync(join(w.dir, 'latin1.yaml'), Buffer.from('program: x\nname: caf\xe9 rules\n', 'latin1'));
  mkdirSync(join(w.dir, 'programs'));
}, 60_000);
afterAll(() => w?.dispose());

describe('a rulebook file that is not UTF-8 text (real binary)', () => {
  it.each([['load'], ['compare']])('program %s names the file and why', (verb) => {
    const cases: [string, RegExp][] = [
      ['utf16.yaml', /cannot read utf16\.yaml: it is UTF-16 text \(byte order mark FF FE\), not UTF-8/],
      ['latin1.yaml', /cannot read latin1\.yaml: line 2 is not UTF-8 text/],
      ['programs', /cannot read programs: it is a folder; name a file in it/],
      ['missing.yaml', /cannot read missing\.yaml: ENOENT/],
    ];
    for (const [file, message] of cases) {
      const r = w.run(['program', verb as string, file]);
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(message);
      expect(r.stderr, file).toContain('[CREDENCE_E_IO]');
    }
  });
});
