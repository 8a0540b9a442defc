import type { preValidationHookHandler } from 'fastify';

type Schema = {
  readonly type?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly const?: unknown;
  readonly enum?: unknown;
  readonly properties?: Record<string, Schema>;
};

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Whether a schema takes one value only (never a list or an object). */
function takesOneValue(s: Schema): boolean {
  if (s.const !== undefined || s.enum !== undefined) return true;
  const alts = s.anyOf ?? s.oneOf;
  if (alts !== undefined) return alts.length > 0 && alts.every(takesOneValue);
  if (typeof s.type === 'string') return SCALARS.has(s.type);
  if (Array.isArray(s.type)) return s.type.length > 0 && s.type.every((t) => SCALARS.has(t as string));
  return false;
}

/**
 * The server's schema check coerces types, as a query string is all text, and with it a one-item
 * list into its item: in a JSON body, `"purpose": ["credit"]` passed as "credit". A list where a
 * body field takes one value is swapped, before the check, for what the check refuses by that
 * field's name ("must be string"), beside every other problem of the body; nothing reaches the
 * route. Only the body's own fields: a nested object (a fact in a batch) is judged by its reader.
 */
export function listForValueGuard(bodySchema: unknown): preValidationHookHandler | undefined {
  const props = (bodySchema as Schema | undefined)?.properties;
  if (props === undefined) return undefined;
  const single = Object.entries(props)
    .filter(([, s]) => takesOneValue(s))
    .map(([k]) => k);
  if (single.length === 0) return undefined;
  return (req, _reply, done) => {
    const body = req.body;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const fields = body as Record<string, unknown>;
      for (const k of single) if (Array.isArray(fields[k])) fields[k] = { list: fields[k] };
    }
    done();
  };
}
