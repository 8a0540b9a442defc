import type { preValidationHookHandler, RouteOptions } from 'fastify';
import { CredenceError } from '../../core/errors/index.js';

/**
 * What a numeric query parameter takes: decimal digits and nothing else, without a leading zero
 * (`0` itself excepted). ajv coerces query text as JavaScript's `Number()` reads it, so `0x10`
 * was 16, `1e3` 1000, and ` 5`, `+5`, `0b1` and `5.0` numbers too: a typo or another language's
 * literal answered as some other page. A leading zero is refused because `010` is 8 to a reader
 * that takes it for octal; every `next` a page gives is written without one.
 */
const PLAIN_DIGITS = /^(?:0|[1-9][0-9]*)$/;

/** The reason a refused value is given: what the parameter takes, in words. */
export const DIGITS_WORDS = `must be a whole number in plain decimal digits (0-9, no sign, point, exponent, spaces or leading zero), at most ${Number.MAX_SAFE_INTEGER}`;

/** The names of a query schema's integer and number fields. */
function numericFields(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (props === undefined) return [];
  return Object.entries(props)
    .filter(([, s]) => s.type === 'integer' || s.type === 'number')
    .map(([name]) => name);
}

/**
 * The check of a route's numeric query parameters, before ajv coerces them; undefined for a route
 * with none. A value given twice is left to the schema, which names it as repeated. One past
 * 2^53 - 1 is refused too: it would be read as a neighbouring number.
 *
 * @example
 * plainDigitsGuard({ querystring: Type.Object({ limit: Type.Integer() }) }) // refuses ?limit=0x10
 */
export function plainDigitsGuard(schema: RouteOptions['schema']): preValidationHookHandler | undefined {
  const fields = numericFields(schema?.querystring);
  if (fields.length === 0) return undefined;
  return (req, _reply, done) => {
    const query = req.query as Record<string, unknown>;
    const details = fields
      .filter((f) => {
        const v = query[f];
        return typeof v === 'string' && !(PLAIN_DIGITS.test(v) && Number(v) <= Number.MAX_SAFE_INTEGER);
      })
      .map((f) => ({ code: 'CREDENCE_E_USAGE' as const, path: `querystring.${f}`, reason: DIGITS_WORDS }));
    if (details.length === 0) return done();
    done(
      new CredenceError(
        'CREDENCE_E_USAGE',
        `the request's querystring is invalid: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`,
        { field: details[0]?.path.slice('querystring.'.length) ?? 'querystring' },
        details,
      ),
    );
  };
}

/** Attaches plainDigitsGuard to each route registered after it, ahead of the route's own checks. */
export function onRoutePlainDigits(route: RouteOptions): void {
  const guard = plainDigitsGuard(route.schema);
  if (guard === undefined) return;
  const own = route.preValidation;
  route.preValidation = own === undefined ? [guard] : [guard, ...(Array.isArray(own) ? own : [own])];
}
