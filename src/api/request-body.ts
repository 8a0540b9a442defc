import { isUtf8 } from 'node:buffer';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../core/errors/index.js';
import { firstNonUtf8 } from '../ingest/first-non-utf8.js';

/** Fastify reads this on the stream a preParsing hook returns: the bytes that came over the wire. */
type Decoded = PassThrough & { receivedEncodedLength?: number };

const ENCODING = 'headers.content-encoding';

/**
 * The body as sent, with its `Content-Encoding` undone. A furnisher's batch of 10,000 facts is a
 * few megabytes of repetitive JSON that gzip shrinks tenfold, and clients compress it unasked; the
 * gzip bytes were parsed as JSON text and refused as "not valid JSON", which sent the caller
 * looking for a fault in JSON that had none. gzip and deflate are read; any other encoding is a 415
 * naming it. The route's body limit holds for the decoded body (Fastify counts what this stream
 * gives), so a small gzip that expands past it is a 413 — and for the bytes sent
 * (`receivedEncodedLength`), which Fastify also holds to `Content-Length`.
 */
export function decodedBody(req: FastifyRequest, payload: Readable): Readable {
  const raw = req.headers['content-encoding'];
  const encoding = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    const reason = `a body encoded as "${encoding}" is not read: send it uncompressed, or as gzip or deflate`;
    throw new CredenceError('CREDENCE_E_MEDIA_TYPE', reason, {}, [
      { code: 'CREDENCE_E_MEDIA_TYPE', reason, path: ENCODING },
    ]);
  }
  const inflate = encoding === 'deflate' ? createInflate() : createGunzip();
  const out: Decoded = new PassThrough();
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength = (out.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on('error', (e) => out.destroy(e));
  inflate.on('error', (e) => {
    const reason = `the body is not valid ${encoding} data (${e.message}), though Content-Encoding says it is`;
    out.destroy(
      new CredenceError('CREDENCE_E_USAGE', reason, {}, [
        { code: 'CREDENCE_E_USAGE', reason, path: ENCODING },
      ]),
    );
  });
  // Fastify stops reading the stream once the limit is passed; the inflater is then let go.
  out.on('close', () => inflate.destroy());
  payload.pipe(inflate).pipe(out);
  return out;
}

/**
 * Why a JSON text does not parse, and where: "at line 3, column 14" for a stray comma, "ends
 * early" for a body cut short. V8 gives a position for some faults only (not for an unexpected
 * token, which it shows in a snippet of the text), so the place is found by `syntaxErrorAt`.
 *
 * @example
 * jsonFault('{"a":1,,}') // 'Expected double-quoted property name in JSON at line 1, column 8 (position 7)'
 */
export function jsonFault(sent: string): string {
  // A byte-order mark is read past, as the parser reads it, and counts for no column (editors hide it).
  const text = sent.charCodeAt(0) === 0xfeff ? sent.slice(1) : sent;
  try {
    JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = syntaxErrorAt(text);
    if (position >= text.length || /Unexpected end of JSON input/.test(message)) {
      return `the body ends early, at ${lineColumn(text, text.length)} (${text.length} characters): was it cut short?`;
    }
    const where = `at ${lineColumn(text, position)} (position ${position})`;
    const at = /at position (\d+)/.exec(message);
    if (at) return `${message.slice(0, at.index)}${where}`;
    return `${message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')} ${where}`;
  }
  // Valid JSON the safe parser still refused: a key that would set an object's prototype.
  return 'a "__proto__" or "constructor.prototype" key is refused anywhere in the body';
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const HEX = /^[0-9a-fA-F]$/;

/**
 * Where the first syntax error of a JSON text is (its length when the text ends early), or -1 when
 * there is none: the grammar JSON.parse reads, walked without recursion (a body may nest deep).
 */
export function syntaxErrorAt(t: string): number {
  const n = t.length;
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const ws = (): void => {
    while (i < n && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  const string = (): boolean => {
    if (t[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        // V8 places a bad escape at the letter after the backslash, a bad \u at its first bad digit.
        i++;
        const e = t[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!HEX.test(t[i] ?? '')) return false;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else return false;
      } else i++;
    }
    return false;
  };
  // Leaves i where V8 reports a broken number: after the sign, point or exponent missing its digits.
  const number = (): boolean => {
    if (t[i] === '-') i++;
    if (!isDigit(t[i])) return false;
    if (t[i] === '0') i++;
    else while (isDigit(t[i])) i++;
    if (t[i] === '.') {
      i++;
      if (!isDigit(t[i])) return false;
      while (isDigit(t[i])) i++;
    }
    if (t[i] === 'e' || t[i] === 'E') {
      i++;
      if (t[i] === '+' || t[i] === '-') i++;
      if (!isDigit(t[i])) return false;
      while (isDigit(t[i])) i++;
    }
    return true;
  };
  const scalar = (): boolean => {
    if (t[i] === '"') return string();
    if (t[i] === '-' || isDigit(t[i])) return number();
    // A literal is read letter by letter: V8 places the fault at the first one that differs.
    const word = t[i] === 't' ? 'true' : t[i] === 'f' ? 'false' : t[i] === 'n' ? 'null' : '';
    for (let k = 0; k < word.length; k++, i++) if (t[i] !== word[k]) return false;
    return word !== '';
  };
  const key = (): boolean => {
    ws();
    if (!string()) return false;
    ws();
    if (t[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // A value is due at i.
    ws();
    const c = t[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (t[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c);
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (!scalar()) return i;
    // After a value: a comma and the next, or the end of its container.
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : -1;
      if (t[i] === ',') {
        i++;
        if (top === '{' && !key()) return i;
        break;
      }
      if (t[i] !== (top === '{' ? '}' : ']')) return i;
      i++;
      stack.pop();
    }
  }
}

export function lineColumn(text: string, position: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${position - start + 1}`;
}

/** A byte count as an operator would write a limit: "16 MiB", "512 KiB", "900 bytes". */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Charsets a JSON body may be labelled with: UTF-8, and ASCII, which is UTF-8 too. */
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * The body's text, read as UTF-8 (RFC 8259 §8.1), or refused saying where it is not. Decoded
 * leniently, a Latin-1 or GBK body became replacement characters: a fact stored with its name
 * garbled for good, a screening for a name nobody holds answered "no candidates". A
 * `charset` other than UTF-8 in the Content-Type is refused for its label, before the bytes are read.
 */
export function utf8Body(contentType: string | undefined, body: Buffer): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !UTF8_LABELS.has(charset.toLowerCase())) {
    const reason = `the body is labelled charset=${charset}: JSON is read as UTF-8 only (RFC 8259), so send the body as UTF-8 and label it application/json (charset=utf-8 or none)`;
    throw new CredenceError('CREDENCE_E_MEDIA_TYPE', reason, {}, [
      { code: 'CREDENCE_E_MEDIA_TYPE', reason, path: 'headers.content-type' },
    ]);
  }
  if (isUtf8(body)) return body.toString('utf8');
  // A byte order mark names UTF-16 (PowerShell 5's default), which the bytes alone would not.
  const mark =
    body[0] === 0xff && body[1] === 0xfe ? 'FF FE' : body[0] === 0xfe && body[1] === 0xff ? 'FE FF' : '';
  if (mark !== '') {
    const reason = `the request body is UTF-16 text (byte order mark ${mark}), not UTF-8: JSON is read as UTF-8 only (RFC 8259), so send the body as UTF-8`;
    throw new CredenceError('CREDENCE_E_USAGE', reason, {}, [
      { code: 'CREDENCE_E_USAGE', reason, path: 'body' },
    ]);
  }
  const at = firstNonUtf8(body);
  const lineStart = body.lastIndexOf(0x0a, at - 1) + 1;
  const line = body.subarray(0, lineStart).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  const column = body.subarray(lineStart, at).toString('utf8').length + 1;
  const byte = `0x${(body[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
  const reason = `the request body is not UTF-8 text: byte ${byte} at line ${line}, column ${column} (byte ${at}) is not UTF-8 (Latin-1 or GBK text?); JSON is read as UTF-8 only (RFC 8259): send the body as UTF-8`;
  throw new CredenceError('CREDENCE_E_USAGE', reason, {}, [
    { code: 'CREDENCE_E_USAGE', reason, path: 'body' },
  ]);
}
