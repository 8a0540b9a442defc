import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** One line of an input file, numbered from 1, without its line break. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /**
   * The line already parsed, when it came parsed (an HTTP body): validation then skips
   * `JSON.parse(text)`. Must be what parsing `text` gives; `text` stays the stored body.
   */
  readonly value?: unknown;
  /**
   * Set by `credence import` alone, on the removal a register's own deletion date schedules (see
   * `MappedFact.scheduled`): the one fact besides an opt-out that ingest takes dated ahead of its
   * clock. Never read from a file or an HTTP body: what a furnisher sends cannot set it.
   */
  readonly scheduled?: true;
}

export interface LineChunk {
  readonly lines: readonly SourceLine[];
  /** Bytes of the input consumed so far, for progress. */
  readonly bytes: number;
}

// A line is decoded from the bytes on its own (not sliced from a decoded chunk): a slice would be
// a two-byte string whenever any line of its chunk holds a non-Latin-1 character, which makes
// parsing and hashing every line of that chunk slower, and decoding whole chunks through a
// string decoder then splitting the text cost about five times as much CPU as this.
function lineText(buf: Buffer, start: number, end: number): string {
  let from = start;
  // A UTF-8 byte order mark at the start of a line is dropped: before the first, and where files
  // each beginning with one were joined (`cat a.jsonl b.jsonl | credence ingest -`). It is never
  // part of a fact, and JSON.parse refused it naming a character no terminal shows.
  if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf)
    from += 3;
  return buf.toString('utf8', from, end);
}

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0d;
const BLANK = /^[ \t\r]*$/;

/**
 * Streams a JSON Lines input as chunks of numbered lines: memory stays bounded by the chunk,
 * whatever the file's size. Blank lines are skipped (but counted); a final line without a
 * break is still read; a line of only whitespace is blank; a UTF-8 BOM at the start of a line is dropped.
 *
 * @example
 * for await (const chunk of readJsonLines(createReadStream('facts.jsonl'), 'facts.jsonl')) { ... }
 */
export async function* readJsonLines(input: Readable, file: string): AsyncGenerator<LineChunk> {
  // Bytes of a line not yet ended, from earlier pieces (a UTF-8 character may straddle two).
  let pending: Buffer[] = [];
  let lineNo = 0;
  let bytes = 0;
  for await (const piece of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    bytes += chunk.length;
    const first = chunk.indexOf(10);
    if (first === -1) {
      pending.push(chunk);
      continue;
    }
    const lines: SourceLine[] = [];
    const take = (buf: Buffer, start: number, nl: number): void => {
      lineNo++;
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (end > start) {
        const text = lineText(buf, start, end);
        // A line of only JSON whitespace is blank too (tested only when it starts with some).
        if (text.length > 0 && !(isSpace(text.charCodeAt(0)) && BLANK.test(text)))
          lines.push({ file, line: lineNo, text });
      }
    };
    let start = 0;
    if (pending.length > 0) {
      // Only the line that straddles the pieces is copied, not the whole chunk.
      pending.push(chunk.subarray(0, first + 1));
      const head = Buffer.concat(pending);
      pending = [];
      take(head, 0, head.length - 1);
      start = first + 1;
    }
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      take(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (lines.length > 0) yield { lines, bytes };
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    const text = lineText(rest, 0, rest.length);
    if (!BLANK.test(text))
      yield { lines: [{ file, line: lineNo + 1, text: text.replace(/\r$/, '') }], bytes };
  }
}

/** Opens a file (or `-` for standard input) as a stream of line chunks. */
export function openJsonLines(path: string, stdin: Readable = process.stdin): AsyncGenerator<LineChunk> {
  if (path === '-') return readJsonLines(stdin, '<stdin>');
  return readJsonLines(createReadStream(path, { highWaterMark: 1 << 20 }), path);
}
