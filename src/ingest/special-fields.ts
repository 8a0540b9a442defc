import { isCode, specialCategoryOf, specialCodeOf } from '../core/rulebook/names.js';
import { PERSON_FIELDS } from '../identity/types.js';

// The hard line at the door: a rulebook can never score special-category data, and a fact that
// carries it under a field of its own (`data.religion`, `subject.ethnicity`) is not stored either,
// since storing it is already processing it (GDPR Art. 9), nor one whose code value says so
// (`"category": "religious_donation"`: the furnisher classified it). Names and codes are checked,
// not text: a purchase of a bible is a purchase, and reading free text for faith would be the profiling
// this line forbids; refusing a payment for what its text mentions would treat the person by it.
// So free text in an ordinary field ("joined the protest" in `data.comment`) is stored as sent,
// and the refusal says only what is true: a field so named is never stored, such data never
// scored — not that no fact ever mentions it (docs/policy.md, "What is stored all the same").

const PERSON_KEYS: ReadonlySet<string> = new Set<string>([...PERSON_FIELDS, 'subjectId']);
const MEMO_LIMIT = 10_000;
/** Field name → why it is refused ('' when it is not): a source sends the same few names. */
let memo = new Map<string, string>();

function why(key: string): string {
  let reason = memo.get(key);
  if (reason !== undefined) return reason;
  const hit = specialCategoryOf(key);
  reason = hit
    ? `"${key}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}), which Credence never scores, and a fact with a field so named is never stored; send the fact without it`
    : '';
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(key, reason);
  return reason;
}

/**
 * The first field of a fact's `subject` or `data` named for special-category data, with why;
 * undefined when there is none. Fields nested in undeclared objects and arrays are read too
 * (`data.extra.religion`). A subject's identity fields (`sex`, `date_of_birth`, …) are what
 * resolution reads, not categories.
 *
 * @example
 * specialField({ amount: 5, religion: 'x' }, 'data') // { field: 'data.religion', reason: '"religion" names religion …' }
 */
export function specialField(
  fields: Readonly<Record<string, unknown>>,
  where: 'subject' | 'data',
): { field: string; reason: string } | undefined {
  return walk(fields, where, where === 'subject', 0);
}

/** The fact's own fields, which name no data. */
const ENVELOPE: ReadonlySet<string> = new Set(['id', 'source', 'type', 'occurredAt', 'retracts']);

/**
 * The first field anywhere in a fact named for special-category data, with why: in `subject`
 * (identity fields aside) and `data`, and in any field a furnisher sends beside them (`meta`,
 * `note`), which is stored with the fact's body all the same. A retraction is read like any fact.
 *
 * @example
 * specialFactField({ id: 'r1', source: 'pay', retracts: 'p1', data: { religion: 'x' } }) // { field: 'data.religion', … }
 */
export function specialFactField(
  fact: Readonly<Record<string, unknown>>,
): { field: string; reason: string } | undefined {
  for (const key in fact) {
    if (ENVELOPE.has(key)) continue;
    const value = fact[key];
    if (key === 'subject' || key === 'data') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      const hit = specialField(value as Record<string, unknown>, key);
      if (hit) return hit;
      continue;
    }
    const reason = why(key);
    if (reason !== '') return { field: key, reason };
    const hit = walk(value, key, false, 1);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Why a fact's `source` is refused, when its name says its facts are special-category data: a
 * payment from "mosque-donations" or "city-hospital" is a gift to a faith or a hospital bill, and
 * scoring it would score what the name says. Undefined for an ordinary source.
 *
 * @example
 * specialSource('city-hospital') // '"city-hospital" names hospital treatment ("hospital"), …'
 * specialSource('unionpay') // undefined
 */
export function specialSource(source: string): string | undefined {
  const key = `source\u0000${source}`;
  let reason = memo.get(key);
  if (reason === undefined) {
    const hit = specialCategoryOf(source);
    reason = hit
      ? `"${source}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}): what such a source sends Credence never stores or scores`
      : '';
    if (memo.size >= MEMO_LIMIT) memo = new Map();
    memo.set(key, reason);
  }
  return reason === '' ? undefined : reason;
}

/**
 * Why a fact of an event type no loaded program declares is refused as the hard line, when the
 * type's name says it is special-category data: no program may ever declare such a type
 * (`program load` refuses it), so "unknown type" would wrongly suggest loading one. Undefined for
 * an ordinary name. Only asked of undeclared types: a declared one passed this check at load.
 *
 * @example
 * specialType('religion.service_attended') // '"religion.service_attended" names religion ("religion"), …'
 */
export function specialType(type: string): string | undefined {
  const hit = specialCategoryOf(type);
  return hit
    ? `"${type}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}): no program may declare such an event type, and a fact of it is never stored or scored`
    : undefined;
}

// Deep enough for any honest payload; a deeper one is refused as invalid elsewhere or stored flat.
const MAX_DEPTH = 16;

/**
 * Why a value is refused ('' when it is not): a code naming special-category data (`specialCodeOf`),
 * alone or read after its field's name (`"union": "dues"` is union dues, `"party": "member"` a
 * party member).
 */
function whyValue(field: string, value: string): string {
  const key = `value\u0000${field}\u0000${value}`;
  let reason = memo.get(key);
  if (reason !== undefined) return reason;
  const alone = specialCodeOf(value);
  const hit = alone ?? (isCode(value) ? specialCategoryOf(`${field}_${value}`) : undefined);
  // The value itself is not repeated: the refusal is kept (an API import's record), the value not.
  const said = alone ? 'this code' : `this code, after its field "${field}",`;
  reason = hit
    ? `${said} names ${hit.what} ("${hit.word}"), special-category data (${hit.category}): a fact a furnisher classifies so is such data, which Credence never stores or scores; send the fact without it`
    : '';
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(key, reason);
  return reason;
}

function walk(
  value: unknown,
  path: string,
  identity: boolean,
  depth: number,
  field = path,
): { field: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = whyValue(field, value);
    return reason === '' ? undefined : { field: path, reason };
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = walk(value[i], `${path}[${i}]`, false, depth + 1, field);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const key in value) {
    // A subject's identity fields hold names and numbers as people bear them: `Church` is a surname.
    if (identity && PERSON_KEYS.has(key)) continue;
    const reason = why(key);
    if (reason !== '') return { field: `${path}.${key}`, reason };
    const hit = walk((value as Record<string, unknown>)[key], `${path}.${key}`, false, depth + 1, key);
    if (hit) return hit;
  }
  return undefined;
}
