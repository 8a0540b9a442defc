import { Type } from 'typebox';
import { CredenceError, isCredenceError } from '../../core/errors/index.js';
import { formatInstant, parseInstant, tryParseInstant } from '../../core/time/index.js';
import { MAX_CLOCK_SKEW_MS } from '../../ingest/validate.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'A stable code from the error catalogue (docs/errors.md)' }),
      message: Type.String(),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            code: Type.String(),
            reason: Type.String(),
            file: Type.Optional(Type.String()),
            line: Type.Optional(Type.Number()),
            column: Type.Optional(Type.Number()),
            path: Type.Optional(Type.String()),
            field: Type.Optional(Type.String()),
          }),
        ),
      ),
    }),
  },
  { description: 'Every error: a catalogue code, a message and each problem found' },
);

/** The error responses a route may give, for its OpenAPI description. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const s of statuses) out[s] = ErrorBody;
  return out;
}

/** Every authenticated route can refuse with these. */
/**
 * A relying party's `purpose`: optional in the schema only so that its absence is refused as a
 * purpose (403 CREDENCE_E_PURPOSE, logged as a refusal) rather than as a malformed request.
 */
export const Purpose = Type.Optional(
  Type.String({
    maxLength: 100,
    description:
      "Required in practice: the declared purpose of this query, one of your key's purposes. Missing or not permitted: 403 CREDENCE_E_PURPOSE (logged). The person sees it in their inquiry list.",
  }),
);

/** A `pattern` for text that must say something: a value of spaces only is refused as blank. */
export const NOT_BLANK = '\\S';

/** A `pattern` for a header value a client chooses (an Idempotency-Key): visible ASCII, no spaces. */
export const VISIBLE_ASCII = '^[\\x21-\\x7E]+$';

/** A `pattern` for an audit head hash as verify prints it: SHA-256 in lowercase hex. */
export const HEAD_HASH = '^[0-9a-f]{64}$';

export const AUTH_ERRORS = [400, 401, 403, 429, 500] as const;

export const SubjectParams = Type.Object({
  subject: Type.String({
    minLength: 1,
    maxLength: 200,
    description:
      'A subject id (P0000001) or a strong identifier: national id, passport number, phone, e-mail',
  }),
});

export const Instant = Type.String({
  description:
    'ISO 8601 instant with a time zone, e.g. 2026-03-01T10:00:00Z, or a date alone (2026-03-01), which is midnight UTC',
});

/** A relying party's `asOf` (see `decisionAsOf`). */
export const PastInstant = Type.String({
  description:
    'ISO 8601 instant with a time zone, e.g. 2026-03-01T10:00:00Z, or a date alone (2026-03-01), which is midnight UTC; default now. Not later than now (5 minutes allowed for clock skew): 422 CREDENCE_E_AS_OF_FUTURE',
});

/**
 * The instant a request asks about (`asOf`), or `now` when it names none; a value that is not an
 * instant is refused naming the field, as a schema violation is.
 *
 * @example
 * const asOf = asOfParam(req.query.asOf, ctx.clock());
 */
export function asOfParam(text: string | undefined, now: number): number {
  if (text === undefined) return now;
  try {
    return parseInstant(text, 'asOf');
  } catch (e) {
    if (!isCredenceError(e)) throw e;
    // A query string reads "+" as a space, so `+08:00` sent unencoded arrives as ` 08:00`.
    const plusAsSpace =
      / \d{2}:?\d{2}$/.test(text) && tryParseInstant(text.replace(/ (?=\d{2}:?\d{2}$)/, '+'));
    const hint = plusAsSpace
      ? ' (a "+" in a query string is read as a space: write the offset as %2B08:00, or the instant in UTC with Z)'
      : '';
    throw new CredenceError(e.code, `${e.message}${hint}`, { field: 'asOf' });
  }
}

/**
 * A relying party's `asOf` (a score or a decision), as `asOfParam` reads it, refused when later
 * than now beyond the clock skew ingest allows a fact (`MAX_CLOCK_SKEW_MS`): a decision about a
 * person must rest on what is known now. A score as of a later instant would present as known the
 * decay, expiries and inactivity penalties still to come, with none of the facts still to come,
 * and the person would find in their inquiries that they were judged on a date not yet reached.
 * (The person's own score and explanation may look ahead, labelled a projection; so may the CLI.)
 *
 * @example
 * const asOf = decisionAsOf(req.query.asOf, ctx.clock());
 */
export function decisionAsOf(text: string | undefined, now: number): number {
  const asOf = asOfParam(text, now);
  if (asOf > now + MAX_CLOCK_SKEW_MS) {
    throw new CredenceError(
      'CREDENCE_E_AS_OF_FUTURE',
      `${formatInstant(asOf)} is later than now (${formatInstant(now)}): a score or decision rests on what is known now; leave asOf out, or ask for an instant up to now`,
      { field: 'asOf' },
    );
  }
  return asOf;
}

export const ReasonLine = Type.Object({ code: Type.String(), text: Type.String(), points: Type.Number() });

/**
 * A key factor sent to a relying party: a reason line, marked when a fact behind it is under the
 * person's dispute at as-of (it counts meanwhile only in a program that does not suspend disputed
 * facts). A report that uses disputed information must say it is disputed (US FCRA §611(c); the
 * PBoC report's objection marks).
 */
export const KeyFactor = Type.Object({
  code: Type.String(),
  text: Type.String(),
  points: Type.Number(),
  disputed: Type.Optional(
    Type.Boolean({
      description:
        'true: a fact behind this factor is disputed by the person at asOf and still counts (the program does not suspend disputed facts); absent otherwise',
    }),
  ),
});

export const Authorisation = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    "Your reference to the person's authorisation of this query (a signed form, an SMS confirmation): required by a program that declares inquiries.authorisation: required, else 403 CREDENCE_E_FORBIDDEN; kept in the inquiry the person reads",
});

export const Range = Type.Object({ min: Type.Number(), max: Type.Number() });

export const Json = Type.Unknown();

export const bearer = [{ apiKey: [] as string[] }];
