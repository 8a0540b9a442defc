import type { preValidationHookHandler } from 'fastify';

type Schema = {
  readonly type?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, Schema>;
};

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/**
 * The JSON types a field takes, when it takes one value only (never a list or an object), read
 * from its schema's `type` (a TypeBox literal or enum carries one too); else undefined.
 */
function scalarTypes(s: Schema): Set<string> | undefined {
  const alts = s.anyOf ?? s.oneOf;
  if (alts !== undefined) {
    const all = new Set<string>();
    for (const a of alts) {
      const t = scalarTypes(a);
      if (t === undefined) return undefined;
      for (const x of t) all.add(x);
    }
    return all.size > 0 ? all : undefined;
  }
  const values = s.const !== undefined ? [s.const] : (s.enum ?? []);
  const types =
    typeof s.type === 'string'
      ? [s.type]
      : Array.isArray(s.type)
        ? (s.type as unknown[])
        : values.map((v) => (v === null ? 'null' : typeof v));
  if (types.length === 0 || !types.every((t) => SCALARS.has(t as string))) return undefined;
  return new Set(types as string[]);
}

/** Whether a JSON value is of one of the types: an integer is a number too. */
function isOfType(v: unknown, types: Set<string>): boolean {
  if (v === null) return types.has('null');
  if (typeof v === 'string' || typeof v === 'boolean') return types.has(typeof v);
  if (typeof v === 'number') return types.has('number') || (types.has('integer') && Number.isInteger(v));
  return false;
}

/**
 * The server's schema check coerces types, as a query string is all text, and did so in a JSON
 * body too: `"purpose": ["credit"]` passed as "credit", `"authorisation": true` was kept as the
 * reference "true", a dispute's `"reason": false` as "false", a `null` became "" (and was refused
 * for a value the client never sent). A body field that takes one value, sent a list or a value of
 * another JSON type, is swapped before the check for what the check refuses by that field's name
 * ("must be string"), beside every other problem of the body; nothing reaches the route. Only the
 * body's own fields: a nested object (a fact in a batch) is judged by its reader.
 */
export function listForValueGuard(bodySchema: unknown): preValidationHookHandler | undefined {
  const props = (bodySchema as Schema | undefined)?.properties;
  if (props === undefined) return undefined;
  const single = Object.entries(props).flatMap(([k, s]) => {
    const types = scalarTypes(s);
    return types === undefined ? [] : [[k, types] as const];
  });
  if (single.length === 0) return undefined;
  return (req, _reply, done) => {
    const body = req.body;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const fields = body as Record<string, unknown>;
      // An object is never coerced, so the check names the field and the type it takes.
      for (const [k, types] of single)
        if (k in fields && !isOfType(fields[k], types)) fields[k] = { sent: fields[k] };
    }
    done();
  };
}
