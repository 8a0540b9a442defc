import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { assertUtf8, readCsv, splitCsv } from './csv-reader.js';

async function readAll(pieces: readonly Buffer[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const c of readCsv(Readable.from(pieces), ',', 'list.csv'))
    out.push(...c.rows.map((r) => [...r.cells]));
  return out;
}

const rows = (text: string) => splitCsv(text, ',', 1, true).rows.map((r) => [r.line, ...r.cells]);

describe('splitCsv', () => {
  // Excel-bound exports write an ID number as a formula of a text constant to keep its digits.
  it('reads a cell written as a text formula ="..." as its text, quoted or not', () => {
    expect(rows('id,phone,note\n="110105194912310021","=""013812345678""",="a"b"\n')).toEqual([
      [1, 'id', 'phone', 'note'],
      [2, '110105194912310021', '013812345678', '="a"b"'],
    ]);
  });

  it('reads quoted cells with delimiters, doubled quotes and line breaks', () => {
    expect(rows('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      [1, 'a', 'b'],
      [2, 'x, y', 'say "hi"\nthere'],
    ]);
  });

  // A line of spaces (an editor's leftover) was a one-cell row, refused as an entry with an empty
  // key — and a refused row naming no entry withholds a snapshot's removals.
  it('skips empty lines and lines of only spaces or tabs, wherever they are', () => {
    expect(rows('a,b\n\n   \n1,2\r\n \t\r\n3,4\n  ')).toEqual([
      [1, 'a', 'b'],
      [4, '1', '2'],
      [6, '3', '4'],
    ]);
    // A quoted blank cell is data, not a blank line.
    expect(rows('a\n" "\n')).toEqual([
      [1, 'a'],
      [2, ' '],
    ]);
    // A spreadsheet's empty rows are delimiters only: blank too, unless a cell is quoted.
    expect(rows('a,b,c\n,,\r\n1,2,3\n , ,\t\n"",,\n,,')).toEqual([
      [1, 'a', 'b', 'c'],
      [3, '1', '2', '3'],
      [5, '', '', ''],
    ]);
  });
});

describe('readCsv', () => {
  it('decodes UTF-8 split anywhere, and drops a BOM', async () => {
    const bytes = Buffer.from('\ufeffname,sex\n王丽,女\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([
        ['name', 'sex'],
        ['王丽', '女'],
      ]);
    }
  });

  // A GBK export was read with replacement characters: every row refused, and a snapshot's
  // entries all taken for removals.
  it('refuses a file that is not UTF-8, naming it', async () => {
    const gbk = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xcd, 0xf5, 0xc0, 0xf6, 0x0a]); // name\n王丽 in GBK
    await expect(readAll([gbk])).rejects.toMatchObject({
      code: 'CREDENCE_E_ROW_INVALID',
      message: expect.stringMatching(/^list\.csv is not UTF-8 text/),
    });
    // A truncated character at the very end too.
    await expect(readAll([Buffer.from([0x61, 0x0a, 0xe7, 0x8e])])).rejects.toMatchObject({
      code: 'CREDENCE_E_ROW_INVALID',
    });
  });
});

describe('assertUtf8 (the whole file checked before any row is read)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-utf8-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  // Lines of 2- 3- and 4-byte characters: the 1 MB chunks cut characters at every width.
  const text = Array.from({ length: 60_000 }, (_, i) => `${i},王丽é😀,${'х'.repeat(i % 7)}`).join('\n');

  it('passes well-formed text whose characters the chunks cut anywhere', async () => {
    for (const pad of ['', 'a', 'ab', 'abc']) {
      await expect(
        assertUtf8(file(`ok${pad}.csv`, Buffer.from(`${pad}${text}\n`, 'utf8'))),
      ).resolves.toBeUndefined();
    }
  });

  it('names the line of the first bad byte, wherever it is, and a character cut at the end', async () => {
    const good = Buffer.from(`${text}\n`, 'utf8');
    const bad = Buffer.concat([good, Buffer.from('x,'), Buffer.from([0xcd, 0xf5]), Buffer.from('\n')]);
    await expect(assertUtf8(file('gbk.csv', bad))).rejects.toMatchObject({
      code: 'CREDENCE_E_ROW_INVALID',
      message: expect.stringMatching(/is not UTF-8 text \(an invalid byte at line 60001\)/),
    });
    // An overlong encoding and a surrogate are not UTF-8 either.
    for (const seq of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const b = Buffer.concat([Buffer.from('a\nb\n'), Buffer.from(seq), Buffer.from('\n')]);
      await expect(assertUtf8(file('seq.csv', b))).rejects.toMatchObject({
        message: expect.stringMatching(/at line 3\)/),
      });
    }
    await expect(assertUtf8(file('cut.csv', Buffer.from([0x61, 0x0a, 0xe7, 0x8e])))).rejects.toMatchObject({
      message: expect.stringMatching(/at line 2\)/),
    });
  });
});
