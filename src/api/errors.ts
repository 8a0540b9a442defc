import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError, type ErrorCode, errorCatalogue, isCredenceError } from '../core/errors/index.js';

/** Refusals of the caller (not of the input): each one goes to the audit log. */
export const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set([
  'CREDENCE_E_UNAUTHENTICATED',
  'CREDENCE_E_FORBIDDEN',
  'CREDENCE_E_PURPOSE',
  'CREDENCE_E_RATE_LIMITED',
]);

/** Fastify's own errors mapped to catalogue codes. */
function fromFastify(e: FastifyError): CredenceError | undefined {
  if (e.validation) {
    const ctx = e.validationContext ?? 'body';
    return new CredenceError(
      'CREDENCE_E_USAGE',
      `the request ${ctx} is invalid: ${e.message}`,
      {},
      e.validation.map((v) => ({
        code: 'CREDENCE_E_USAGE' as const,
        reason: v.message ?? 'invalid',
        path: `${ctx}${v.instancePath ? v.instancePath.replaceAll('/', '.') : ''}`,
      })),
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CredenceError('CREDENCE_E_TOO_LARGE', 'the request body is larger than this route accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CredenceError('CREDENCE_E_MEDIA_TYPE', 'send the body as application/json');
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
  const known = isCredenceError(e) ? e : fromFastify(e as FastifyError);
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
