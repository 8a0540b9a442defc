import { errorCatalogue } from '../../../core/errors/index.js';
import { ErrorBody } from '../../schemas/common.js';

/** What each error status means, in words; the codes behind it are read from the catalogue. */
const STATUS_WORDS: Readonly<Record<string, readonly [name: string, words: string]>> = {
  '400': ['BadRequest', 'The request is malformed: `details` names each field in trouble and what it takes'],
  '401': ['Unauthenticated', 'No API key, or one that is unknown, revoked or mistyped'],
  '403': [
    'Forbidden',
    "The key's role or scope does not allow this route, or the purpose is not one the key was issued for",
  ],
  '404': ['NotFound', 'What the path names does not exist'],
  '409': [
    'Conflict',
    'The request clashes with what is stored (sent before with another body, answered meanwhile, an identifier two people hold)',
  ],
  '413': [
    'TooLarge',
    "The body is over the route's limit (1 MiB; 16 MiB for /v1/facts, counted after any Content-Encoding is undone)",
  ],
  '415': [
    'MediaType',
    'The body is not application/json in UTF-8, or its Content-Encoding is not gzip or deflate',
  ],
  '422': ['Unprocessable', 'Well formed, but not something Credence takes (a rulebook, a fact, a date)'],
  '429': [
    'RateLimited',
    "Over the key's rate limit, or too many failed authentications: wait Retry-After seconds",
  ],
  '500': ['Internal', 'An internal error: the message says only that; the server log holds the rest'],
};

/** The catalogue codes answered with `status`, each with its message. */
function codesOf(status: number): string {
  return Object.entries(errorCatalogue)
    .filter(([, e]) => e.status === status)
    .map(([code, e]) => `${code} (${e.message})`)
    .join('; ');
}

/** A JSON value with its object keys sorted, to compare two schemas by content. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
  $ref?: string;
}
type Doc = {
  paths?: Record<string, Record<string, { responses?: Record<string, Response> }>>;
  components?: Record<string, Record<string, unknown>>;
};

/**
 * The OpenAPI document with every error response written once: each route's 4xx or 5xx whose
 * body is the one error body becomes `{ "$ref": "#/components/responses/<Name>" }`, the body
 * itself `#/components/schemas/Error`. Inline, the error body was repeated 210 times, about
 * two thirds of /openapi.json and most of /docs. Answers and request bodies stay inline. The
 * document given is not changed.
 *
 * @example
 * withSharedErrors(app.swagger()).components.responses.BadRequest.description
 */
export function withSharedErrors<T extends object>(input: T): T {
  const doc = structuredClone(input) as Doc;
  const error = canonical(JSON.parse(JSON.stringify(ErrorBody)));
  const used = new Set<string>();
  for (const methods of Object.values(doc.paths ?? {}))
    for (const op of Object.values(methods)) {
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const named = STATUS_WORDS[status];
        const schema = r.content?.['application/json']?.schema;
        if (named === undefined || schema === undefined || canonical(schema) !== error) continue;
        (op.responses as Record<string, Response>)[status] = { $ref: `#/components/responses/${named[0]}` };
        used.add(status);
      }
    }
  if (used.size === 0) return doc as T;
  const responses: Record<string, unknown> = {};
  for (const status of [...used].sort()) {
    const [name, words] = STATUS_WORDS[status] as readonly [string, string];
    const codes = codesOf(Number(status));
    responses[name] = {
      description: `${words}.${codes ? ` Codes: ${codes}.` : ''}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Error: JSON.parse(JSON.stringify(ErrorBody)) },
    responses: { ...doc.components?.responses, ...responses },
  };
  return doc as T;
}
