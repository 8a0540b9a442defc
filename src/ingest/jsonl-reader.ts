import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** One line of an input file, numbered from 1, without its line break. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export interface LineChunk {
  readonly lines: readonly SourceLine[];
  /** Bytes of the input consumed so far, for progress. */
  readonly bytes: number;
}

/**
 * Streams a JSON Lines input as chunks of numbered lines: memory stays bounded by the chunk,
 * whatever the file's size. Blank lines are skipped (but counted); a final line without a
 * break is still read; a UTF-8 BOM at the start is dropped.
 *
 * @example
 * for await (const chunk of readJsonLines(createReadStream('facts.jsonl'), 'facts.jsonl')) { ... }
 */
export async function* readJsonLines(input: Readable, file: string): AsyncGenerator<LineChunk> {
  let rest = '';
  let lineNo = 0;
  let bytes = 0;
  let first = true;
  input.setEncoding('utf8');
  for await (const piece of input as AsyncIterable<string>) {
    bytes += Buffer.byteLength(piece, 'utf8');
    let text = rest + piece;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines: SourceLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      lineNo++;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end > start) lines.push({ file, line: lineNo, text: text.slice(start, end) });
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) yield { lines, bytes };
  }
  if (rest.trim().length > 0) {
    yield { lines: [{ file, line: lineNo + 1, text: rest.replace(/\r$/, '') }], bytes };
  }
}

/** Opens a file (or `-` for standard input) as a stream of line chunks. */
export function openJsonLines(path: string, stdin: Readable = process.stdin): AsyncGenerator<LineChunk> {
  if (path === '-') return readJsonLines(stdin, '<stdin>');
  return readJsonLines(createReadStream(path, { highWaterMark: 1 << 20 }), path);
}
