import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CredenceError } from '../../core/errors/index.js';
import { firstNonUtf8 } from '../first-non-utf8.js';
import { utf16Head } from '../utf16-head.js';

/** One data row of a CSV file: its line number (the header is line 1) and its cells. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
  /**
   * Set on the file's last record when a quoted cell in it is never closed: the position (0-based)
   * of that cell, which holds the rest of the file.
   */
  readonly unclosed?: number;
  /**
   * Set on the file's last record when no line break ends it: with fewer cells than the header, the
   * file was cut short inside it (a copy or download that stopped), and its last cell may be cut too.
   */
  readonly unterminated?: true;
}

export interface CsvChunk {
  readonly rows: readonly CsvRow[];
  /** Bytes of the file consumed so far, for progress. */
  readonly bytes: number;
}

/**
 * An empty line, or one of only spaces, tabs and delimiters (a spreadsheet's empty row, `,,,,`):
 * skipped, like a blank line of JSON Lines. A quoted cell, even blank, is data.
 */
function isBlank(cells: readonly string[], quoted: boolean): boolean {
  return !quoted && cells.every((c) => /^[ \t]*$/.test(c));
}

/**
 * Splits CSV text into records (RFC 4180: quoted cells may hold the delimiter, quotes doubled,
 * and line breaks). Returns the complete records and the unfinished rest, so a stream can be
 * cut anywhere. `line` is the line number the next record starts on.
 */
export function splitCsv(
  text: string,
  delimiter: string,
  startLine: number,
  final: boolean,
): { rows: CsvRow[]; rest: string; line: number } {
  const rows: CsvRow[] = [];
  const d = delimiter.charCodeAt(0);
  let i = 0;
  let line = startLine;
  let recordStart = 0;
  let recordLine = line;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  // Whether any cell of the record so far was quoted (a quoted blank cell is data).
  let anyQuoted = false;
  let inQuotes = false;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (i + 1 < n && text.charCodeAt(i + 1) === 34) {
          cell += '"';
          i += 2;
          continue;
        }
        if (i + 1 >= n && !final) break; // a quote at the end of the piece: wait for more
        inQuotes = false;
        i++;
        continue;
      }
      if (c === 10) line++;
      // Take the run of ordinary characters at once.
      let j = i + 1;
      while (j < n) {
        const cj = text.charCodeAt(j);
        if (cj === 34 || cj === 10) break;
        j++;
      }
      cell += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === 34 && cell.length === 0 && !quoted) {
      inQuotes = true;
      quoted = true;
      anyQuoted = true;
      i++;
      continue;
    }
    if (c === d) {
      cells.push(formulaText(cell));
      cell = '';
      quoted = false;
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      const next = c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      if (c === 13 && i + 1 >= n && !final) break;
      cells.push(formulaText(cell));
      if (!isBlank(cells, anyQuoted)) rows.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      quoted = false;
      anyQuoted = false;
      i = next;
      line++;
      recordStart = i;
      recordLine = line;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const cj = text.charCodeAt(j);
      if (cj === d || cj === 10 || cj === 13 || cj === 34) break;
      j++;
    }
    cell += text.slice(i, j);
    i = j;
  }
  if (final && (cells.length > 0 || cell.length > 0 || quoted) && i >= n) {
    cells.push(formulaText(cell));
    if (inQuotes) rows.push({ line: recordLine, cells, unclosed: cells.length - 1 });
    else if (!isBlank(cells, anyQuoted)) rows.push({ line: recordLine, cells, unterminated: true });
    return { rows, rest: '', line: line + 1 };
  }
  return { rows, rest: text.slice(recordStart), line: recordLine };
}

/**
 * A cell a spreadsheet export wrote as a formula of a text constant, `="0012345"` (or, quoted,
 * `"=""0012345"""`): how Excel-bound exports keep an ID number, a phone or an account with its
 * leading zeros and all its digits. Its value is the text: stored as written,
 * `="110105194912310021"` named a person no one is, beside the one the ID names.
 */
function formulaText(cell: string): string {
  return cell.charCodeAt(0) === 61 && FORMULA_TEXT.test(cell) ? cell.slice(2, -1) : cell;
}
const FORMULA_TEXT = /^="[^"]*"$/;

/**
 * Streams a CSV file as chunks of rows with their line numbers; the first record is the header.
 * Memory stays bounded by the chunk whatever the file's size; a UTF-8 BOM is dropped.
 *
 * @example
 * for await (const chunk of readCsv(createReadStream('court.csv'))) for (const r of chunk.rows) ...
 */
export async function* readCsv(
  input: Readable,
  delimiter = ',',
  name = 'the file',
): AsyncGenerator<CsvChunk> {
  // Strict UTF-8: a file in another encoding (a GBK export of a Chinese list) would otherwise be
  // read with replacement characters, every row refused, and a snapshot's entries all "gone".
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 1;
  let bytes = 0;
  let first = true;
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    let piece: string;
    if (typeof raw === 'string') piece = raw;
    else {
      try {
        piece = decoder.decode(raw, { stream: true });
      } catch {
        throw notUtf8(name, line);
      }
    }
    bytes += typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
    let text = rest + piece;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const r = splitCsv(text, delimiter, line, false);
    rest = r.rest;
    line = r.line;
    if (r.rows.length > 0) yield { rows: r.rows, bytes };
  }
  try {
    rest += decoder.decode();
  } catch {
    throw notUtf8(name, line);
  }
  if (rest.length > 0) {
    const r = splitCsv(rest, delimiter, line, true);
    if (r.rows.length > 0) yield { rows: r.rows, bytes };
  }
}

function newlines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Refuses a file that is not UTF-8 text, naming the line of its first bad byte, before any row of
 * it is read: rows are imported in batches as they are read, so a bad byte met late would leave the
 * rows before it imported and the file refused. Reads bytes only (fast), a chunk at a time.
 */
export async function assertUtf8(path: string): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  let first = true;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (first) utf16Refused(path, raw);
    first = false;
    const buf = carry.length > 0 ? Buffer.concat([carry, raw]) : raw;
    // A character cut by the chunk's end waits for the next chunk.
    let end = buf.length;
    let k = end - 1;
    while (k >= 0 && end - k <= 3 && ((buf[k] as number) & 0xc0) === 0x80) k--;
    if (k >= 0 && (buf[k] as number) >= 0xc0) {
      const c = buf[k] as number;
      const size = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      if (end - k < size) end = k;
    }
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) throw notUtf8(path, line + newlines(body, firstNonUtf8(body)), 'at');
    line += newlines(body, body.length);
    carry = Buffer.from(buf.subarray(end));
  }
  if (carry.length > 0 && !isUtf8(carry)) throw notUtf8(path, line, 'at');
}

/** Refuses a file that starts as UTF-16 text (`utf16Head`): read on, its header "lacked" every column. */
function utf16Refused(name: string, head: Uint8Array): void {
  const mark = utf16Head(head);
  if (mark === '') return;
  throw new CredenceError(
    'CREDENCE_E_ROW_INVALID',
    `${name} is UTF-16 text (${mark}), not UTF-8: save it as UTF-8 and import it again`,
    { file: name, line: 1 },
    [{ code: 'CREDENCE_E_ROW_INVALID', file: name, line: 1, reason: `UTF-16 text (${mark}), not UTF-8` }],
  );
}

function notUtf8(name: string, line: number, where: 'at' | 'near' = 'near'): CredenceError {
  return new CredenceError(
    'CREDENCE_E_ROW_INVALID',
    `${name} is not UTF-8 text (an invalid byte ${where} line ${line}): save it as UTF-8 and import it again`,
    { file: name, line },
    [{ code: 'CREDENCE_E_ROW_INVALID', file: name, line, reason: 'a byte that is not UTF-8 text' }],
  );
}

/** Opens a CSV file as a stream of row chunks. */
export function openCsv(path: string, delimiter = ','): AsyncGenerator<CsvChunk> {
  return readCsv(createReadStream(path, { highWaterMark: 1 << 20 }), delimiter, path);
}

/** Quotes a cell when it must be (delimiter, quote, line break). */
export function csvCell(v: string | number | boolean, delimiter = ','): string {
  const s = String(v);
  return /[",\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
}
