import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../core/errors/index.js';

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
 * early" for a body cut short. V8's message gives a position for most faults; one that gives none
 * quotes the text around the fault, which is kept.
 *
 * @example
 * jsonFault('{"a":1,,}') // 'Expected double-quoted property name in JSON at line 1, column 8 (position 7)'
 */
export function jsonFault(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    if (/Unexpected end of JSON input/.test(message)) {
      return `the body ends early, at ${lineColumn(text, text.length)} (${text.length} characters): was it cut short?`;
    }
    const at = /at position (\d+)/.exec(message);
    if (at) {
      const position = Number(at[1]);
      return `${message.slice(0, at.index)}at ${lineColumn(text, position)} (position ${position})`;
    }
    return message;
  }
  // Valid JSON the safe parser still refused: a key that would set an object's prototype.
  return 'a "__proto__" or "constructor.prototype" key is refused anywhere in the body';
}

function lineColumn(text: string, position: number): string {
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
