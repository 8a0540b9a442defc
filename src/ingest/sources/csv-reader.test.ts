import { describe, expect, it } from 'vitest';
import { splitCsv } from './csv-reader.js';

const rows = (text: string) => splitCsv(text, ',', 1, true).rows.map((r) => [r.line, ...r.cells]);

describe('splitCsv', () => {
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
  });
});
