import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError, type ErrorCode, errorCatalogue, isCredenceError } from '../core/errors/index.js';
import { sizeInWords } from './request-body.js';
import { HEAD_HASH, NOT_BLANK, VISIBLE_ASCII } from './schemas/common.js';

/** Refusals of the caller (not of the input): each one goes to the audit log. */
export const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set([
  'CREDENCE_E_UNAUTHENTICATED',
  'CREDENCE_E_FORBIDDEN',
  'CREDENCE_E_PURPOSE',
  'CREDENCE_E_RATE_LIMITED',
]);

/** One schema violation as ajv reports it (the fields Fastify passes on). */
interface SchemaIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A schema's `pattern` in words: a regular expression says nothing to the client refused by it. */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [VISIBLE_ASCII]: 'must be visible ASCII characters only, no spaces (a UUID will do)',
  [HEAD_HASH]: 'must be a head hash as verify gives it: 64 lowercase hexadecimal digits',
};

/**
 * Schema violations as details a client can act on, one per field: a missing field is placed at
 * the field itself (`body.policy`, "is required"), not at its parent; a value outside a list of
 * literals (TypeBox's union of literals, one ajv error per literal and one for the `anyOf`)
 * becomes one detail naming the allowed values; an unknown field is named. Every field in
 * trouble gets its detail (the server's ajv reports all errors), each field one.
 */
export function schemaDetails(
  ctx: string,
  issues: readonly SchemaIssue[],
  repeated: ReadonlySet<string> = new Set(),
): { code: 'CREDENCE_E_USAGE'; reason: string; path: string }[] {
  const at = (v: SchemaIssue): string =>
    `${ctx}${v.instancePath ? v.instancePath.replaceAll('/', '.').replaceAll('~1', '/').replaceAll('~0', '~') : ''}`;
  const allowed = new Map<string, unknown[]>();
  for (const v of issues) {
    const path = at(v);
    if (v.keyword === 'const') allowed.set(path, [...(allowed.get(path) ?? []), v.params.allowedValue]);
    if (v.keyword === 'enum' && Array.isArray(v.params.allowedValues))
      allowed.set(path, [...(allowed.get(path) ?? []), ...v.params.allowedValues]);
  }
  const out: { code: 'CREDENCE_E_USAGE'; reason: string; path: string }[] = [];
  const seen = new Set<string>();
  // One detail per field: ajv reports every keyword a value breaks (an empty reason is both
  // shorter than 1 and blank), and the first is the one to fix first.
  const add = (path: string, reason: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ code: 'CREDENCE_E_USAGE', reason, path });
  };
  for (const v of issues) {
    const path = at(v);
    const values = allowed.get(path);
    if (values !== undefined && (v.keyword === 'const' || v.keyword === 'enum' || v.keyword === 'anyOf')) {
      add(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    } else if (v.keyword === 'required' && typeof v.params.missingProperty === 'string') {
      add(`${path}.${v.params.missingProperty}`, 'is required');
    } else if (v.keyword === 'minLength' && v.params.limit === 1) {
      add(path, 'must not be empty');
    } else if (v.keyword === 'pattern' && v.params.pattern === NOT_BLANK) {
      add(path, 'must not be blank');
    } else if (v.keyword === 'pattern' && PATTERN_WORDS[String(v.params.pattern)] !== undefined) {
      add(path, PATTERN_WORDS[String(v.params.pattern)] as string);
    } else if (
      ctx === 'querystring' &&
      v.keyword === 'type' &&
      (v.params.type === 'string' || repeated.has(path))
    ) {
      // Every query parameter is a string: one that is not was repeated (`?purpose=a&purpose=b`).
      // A number repeated (`?limit=5&limit=6`) is an array too, which "must be integer" misnamed.
      add(path, 'is given more than once; give it once');
    } else if (v.keyword === 'additionalProperties' && typeof v.params.additionalProperty === 'string') {
      add(`${path}.${v.params.additionalProperty}`, 'is not a field of this request');
    } else {
      add(path, v.message ?? 'is invalid');
    }
  }
  return out;
}

/** Fastify's own errors mapped to catalogue codes. */
function fromFastify(e: FastifyError, req: FastifyRequest): CredenceError | undefined {
  if (e.validation) {
    const ctx = e.validationContext ?? 'body';
    const query = ctx === 'querystring' ? (req.query as Record<string, unknown> | undefined) : undefined;
    const repeated = new Set(
      Object.entries(query ?? {})
        .filter(([, v]) => Array.isArray(v))
        .map(([k]) => `querystring.${k}`),
    );
    const details = schemaDetails(ctx, e.validation as readonly SchemaIssue[], repeated);
    return new CredenceError(
      'CREDENCE_E_USAGE',
      `the request's ${ctx === 'headers' ? 'headers are' : `${ctx} is`} invalid: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`,
      {},
      details,
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      // Named with its limit, so the caller knows how much to cut (a batch into smaller ones).
      const limit = req.routeOptions?.bodyLimit;
      const route = req.routeOptions?.url ? `${req.method} ${req.routeOptions.url}` : 'this route';
      const reason = `the request body is larger than ${route} accepts${limit ? ` (${sizeInWords(limit)} at most, counted after any Content-Encoding is undone)` : ''}`;
      return new CredenceError('CREDENCE_E_TOO_LARGE', reason, {}, [
        { code: 'CREDENCE_E_TOO_LARGE', reason, path: 'body' },
      ]);
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      // Named with the type sent: a client's library may set one the caller never wrote.
      const sent = req.headers?.['content-type'];
      const reason = `the body was sent as ${sent ? `"${sent}"` : 'no media type'}: send it as application/json`;
      return new CredenceError('CREDENCE_E_MEDIA_TYPE', reason, {}, [
        { code: 'CREDENCE_E_MEDIA_TYPE', reason, path: 'headers.content-type' },
      ]);
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new CredenceError('CREDENCE_E_USAGE', `the request body is not valid JSON: ${e.message}`);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's other 4xx (bad URL encoding, …): a usage error whose message is Fastify's, never ours.
    return new CredenceError('CREDENCE_E_USAGE', e.message);
  }
  return undefined;
}

/** The body of every error response. */
export function errorBody(e: CredenceError): {
  error: { code: string; message: string; details: unknown[] };
} {
  return { error: { code: e.code, message: e.message, details: [...e.details] } };
}

/**
 * The one error handler: a CredenceError answers with its catalogue status and
 * `{ error: { code, message, details } }`; anything else is a 500 that says only "internal
 * error" (the real error goes to the server log, never to the client).
 */
export function toHttpError(
  e: unknown,
  req: FastifyRequest,
): { status: number; body: ReturnType<typeof errorBody> } {
  const known = isCredenceError(e) ? e : fromFastify(e as FastifyError, req);
  if (known && known.status < 500) return { status: known.status, body: errorBody(known) };
  req.log.error({ err: e }, 'internal error');
  return {
    status: 500,
    body: {
      error: {
        code: 'CREDENCE_E_INTERNAL',
        message: 'internal error',
        details: [],
      },
    },
  };
}

export function sendError(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

export { errorCatalogue };

/** Where in the request a parser error of Node's (llhttp's `HPE_…` codes) lies. */
function parserPlace(code: string): string {
  if (code === 'HPE_INVALID_METHOD') return 'method';
  if (code === 'HPE_INVALID_URL' || code === 'HPE_INVALID_VERSION') return 'url';
  if (code.includes('CHUNK') || code === 'HPE_INVALID_EOF_STATE') return 'body';
  return 'headers';
}

/**
 * The answer to a request Node's HTTP parser refuses before any route or hook sees it (Fastify's
 * `clientErrorHandler`): the catalogue's body, as every other refusal, naming what is wrong and
 * where. Fastify's own was `{"error":"Bad Request","message":"Client Error"}`, its `error` a string
 * and naming nothing, and a long URL was told its headers were too large. The status keeps the
 * protocol's meaning (431 for a head over Node's limit, 408, 400), which proxies act on.
 */
export function answerClientError(
  err: Error & { code?: string; reason?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status: number;
  let error: CredenceError;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // The request line alone over the limit never reached its line break.
    const place = Buffer.isBuffer(err.rawPacket) && !err.rawPacket.includes('\r\n') ? 'url' : 'headers';
    const reason = `the request's ${place === 'url' ? 'URL' : 'headers'} are larger than this server reads: the request line and headers together may be ${sizeInWords(maxHeaderSize)} at most${place === 'url' ? ' (send long values in a POST body where the route takes one)' : ''}`;
    status = 431;
    error = new CredenceError('CREDENCE_E_TOO_LARGE', reason, {}, [
      { code: 'CREDENCE_E_TOO_LARGE', reason, path: place },
    ]);
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const reason = 'the request was not received in full in the time the server waits for one';
    status = 408;
    error = new CredenceError('CREDENCE_E_USAGE', reason, {}, [
      { code: 'CREDENCE_E_USAGE', reason, path: 'request' },
    ]);
  } else {
    const place = parserPlace(err.code ?? '');
    const reason = `the request is not HTTP/1.1 this server can read, in its ${place === 'url' ? 'request line' : place}: ${err.reason ?? err.message}${err.code ? ` (${err.code})` : ''}`;
    status = 400;
    error = new CredenceError('CREDENCE_E_USAGE', reason, {}, [
      { code: 'CREDENCE_E_USAGE', reason, path: place },
    ]);
  }
  if (socket.writable) {
    const body = JSON.stringify(errorBody(error));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
