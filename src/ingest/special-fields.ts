import { specialCategoryOf } from '../core/rulebook/index.js';
import { PERSON_FIELDS } from '../identity/types.js';

// The hard line at the door: a rulebook can never score special-category data, and a fact that
// carries it under a field of its own (`data.religion`, `subject.ethnicity`) is not stored either,
// since storing it is already processing it (GDPR Art. 9). Field names are checked, not values:
// a purchase of a bible is a purchase, and reading free text for faith would be the profiling
// this line forbids.

const PERSON_KEYS: ReadonlySet<string> = new Set<string>([...PERSON_FIELDS, 'subjectId']);
const MEMO_LIMIT = 10_000;
/** Field name → why it is refused ('' when it is not): a source sends the same few names. */
let memo = new Map<string, string>();

function why(key: string): string {
  let reason = memo.get(key);
  if (reason !== undefined) return reason;
  const hit = specialCategoryOf(key);
  reason = hit
    ? `"${key}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}) that Credence never stores or scores; send the fact without it`
    : '';
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(key, reason);
  return reason;
}

/**
 * The first field of a fact's `subject` or `data` named for special-category data, with why;
 * undefined when there is none. A subject's identity fields (`sex`, `date_of_birth`, …) are
 * what resolution reads, not categories.
 *
 * @example
 * specialField({ amount: 5, religion: 'x' }, 'data') // { field: 'data.religion', reason: '"religion" names religion …' }
 */
export function specialField(
  fields: Readonly<Record<string, unknown>>,
  where: 'subject' | 'data',
): { field: string; reason: string } | undefined {
  for (const key in fields) {
    if (where === 'subject' && PERSON_KEYS.has(key)) continue;
    const reason = why(key);
    if (reason !== '') return { field: `${where}.${key}`, reason };
  }
  return undefined;
}
