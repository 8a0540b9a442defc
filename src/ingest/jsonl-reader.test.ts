import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonLines, type SourceLine } from './jsonl-reader.js';

async function collect(pieces: readonly string[]): Promise<SourceLine[]> {
  const out: SourceLine[] = [];
  for await (const chunk of readJsonLines(Readable.from(pieces.map((p) => Buffer.from(p))), 'f.jsonl')) {
    out.push(...chunk.lines);
  }
  return out;
}

describe('readJsonLines', () => {
  it('numbers lines from 1, skips blank ones, handles CRLF, a BOM and a last line without a break', async () => {
    const lines = await collect(['\ufeff{"a":1}\r\n\n  \n{"b":2}\n \t\r\n{"c":3}\n  ']);
    // A line of only spaces and tabs is blank, like an empty one, wherever it is in the file.
    expect(lines.map((l) => [l.line, l.text])).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":2}'],
      [6, '{"c":3}'],
    ]);
  });

  it('gives the same lines however the input is split into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ maxLength: 12 }).filter((s) => !s.includes('\n') && !s.includes('\r')),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(40), { maxLength: 8 }),
        async (rows, cuts) => {
          const text = rows.map((r) => `${r}\n`).join('');
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces: string[] = [];
          let from = 0;
          for (const p of points) {
            pieces.push(text.slice(from, p));
            from = p;
          }
          pieces.push(text.slice(from));
          const got = await collect(pieces.filter((p) => p.length > 0));
          const want = rows
            .map((text, i) => ({ file: 'f.jsonl', line: i + 1, text }))
            .filter((l) => !/^[ \t]*$/.test(l.text));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('readJsonLines on bytes', () => {
  it('decodes characters split across pieces at any byte, and drops a BOM split from its line', async () => {
    const text = '\ufeff{"n":"王伟"}\n{"n":"Zoë","e":"😀"}\r\n\n{"n":"李"}';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const pieces = [bytes.subarray(0, cut), bytes.subarray(cut)];
      const got: SourceLine[] = [];
      for await (const chunk of readJsonLines(Readable.from(pieces), 'f.jsonl')) got.push(...chunk.lines);
      expect(got.map((l) => [l.line, l.text])).toEqual([
        [1, '{"n":"王伟"}'],
        [2, '{"n":"Zoë","e":"😀"}'],
        [4, '{"n":"李"}'],
      ]);
    }
  });

  it('counts the bytes consumed', async () => {
    const bytes = Buffer.from('{"a":1}\n{"b":"é"}\n', 'utf8');
    let last = 0;
    for await (const chunk of readJsonLines(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), 'f'))
      last = chunk.bytes;
    expect(last).toBe(bytes.length);
  });
});
