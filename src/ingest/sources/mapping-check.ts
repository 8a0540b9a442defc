import type { MappingSource } from './mapping-schema.js';

/**
 * A quick yes/no check of a parsed mapping against `MappingSchema`, without TypeBox: compiling
 * the schema at start-up meant loading TypeBox (683 module files, a quarter of a second), which
 * every `credence import` paid for a mapping that is valid. The check mirrors the schema piece
 * by piece and may be stricter than it, never looser: when it says no, the loader asks TypeBox,
 * which stays the authority and words the problems. A test holds the two together.
 */
type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object with these keys only: `required` must be present, `optional` may be absent or undefined. */
function obj(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  const req = Object.entries(required);
  const opt = Object.entries(optional);
  return (v) =>
    isObject(v) &&
    Object.getOwnPropertyNames(v).every((k) => known.has(k)) &&
    req.every(([k, c]) => Object.hasOwn(v, k) && c(v[k])) &&
    opt.every(([k, c]) => v[k] === undefined || c(v[k]));
}

const arr =
  (item: Check, minItems = 0): Check =>
  (v) =>
    Array.isArray(v) && v.length >= minItems && v.every(item);

// Every key is checked (TypeBox skips keys with a line break: stricter is allowed).
const rec =
  (item: Check): Check =>
  (v) =>
    isObject(v) && Object.values(v).every(item);

const anyOf =
  (...cs: Check[]): Check =>
  (v) =>
    cs.some((c) => c(v));

const literal =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);

const str: Check = (v) => typeof v === 'string';
// `minLength: 1` counts code points; a non-empty string has at least one.
const name: Check = (v) => typeof v === 'string' && v.length >= 1;
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const bool: Check = (v) => typeof v === 'boolean';
const scalar = anyOf(str, num, bool);

const columnSpec = anyOf(
  name,
  obj(
    {},
    {
      column: anyOf(name, arr(name, 1)),
      const: scalar,
      type: literal('string', 'number', 'boolean'),
      values: rec(scalar),
      optional: bool,
    },
  ),
);
const fields = rec(columnSpec);

const events = obj({ id: columnSpec, type: columnSpec, at: columnSpec }, { dataByType: rec(fields) });

const register = obj(
  {
    key: arr(name, 1),
    listed: obj({ type: name, at: columnSpec }),
    removed: obj({ type: name }, { at: columnSpec }),
  },
  {
    mode: literal('snapshot', 'delta'),
    updated: obj({ type: name }, { at: columnSpec }),
    deletion: columnSpec,
    asOf: columnSpec,
    action: obj({
      column: name,
      listing: arr(str, 1),
      update: arr(str, 1),
      removal: arr(str, 1),
    }),
    removalData: arr(name),
    maxRemovalShare: (v) => typeof v === 'number' && v > 0 && v <= 1,
  },
);

const grid = obj(
  {
    key: arr(name, 1),
    column: name,
    lastMonth: columnSpec,
    amount: columnSpec,
    types: obj({ normal: name, overdue: name, settled: name, defaulted: name }),
  },
  { day: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 28 },
);

const mapping = obj(
  {
    source: name,
    kind: literal('platform', 'court', 'registry', 'bureau', 'kyc'),
    types: arr(name, 1),
    subject: fields,
  },
  {
    description: str,
    format: obj(
      {},
      {
        type: literal('csv'),
        // One code point, as `maxLength: 1` counts.
        delimiter: (v) => typeof v === 'string' && [...v].length === 1,
        timeZone: (v) => typeof v === 'string' && /^(Z|[+-]\d{2}:\d{2})$/u.test(v),
      },
    ),
    skip: obj({ column: name, values: arr(str, 1) }),
    data: fields,
    events,
    register,
    grid,
  },
);

/**
 * Whether a parsed mapping surely matches `MappingSchema` (false: ask TypeBox).
 *
 * @example
 * isMappingSource({ source: 'court', kind: 'court', types: ['court.x'], subject: {} }) // true
 */
export function isMappingSource(v: unknown): v is MappingSource {
  return mapping(v);
}
