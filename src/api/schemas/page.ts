import { Type } from 'typebox';
import { CredenceError } from '../../core/errors/index.js';

/** The most rows one page of an operator's list holds, and its default (as `GET /v1/me/inquiries`). */
export const PAGE_MOST = 10_000;

/**
 * The query fields of a list read in pages: `limit` (default and most 10,000) and `after`, what
 * `next` said on the page before.
 *
 * @example
 * querystring: Type.Object({ ...pageQuery('The keyId of the last key read') })
 */
export function pageQuery(after: string) {
  return {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: PAGE_MOST,
        description:
          'Default and most 10,000; in plain decimal digits (no sign, point, exponent or leading zero)',
      }),
    ),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: after })),
  };
}

/** `next` of a page: present when the list goes on. */
export const Next = Type.Optional(Type.String({ description: 'More follow: ask again with after=next' }));

/**
 * One page of a list read from SQLite past its cursor with `LIMIT limit + 1`: `rows` holds the
 * page and, when the list goes on, one row more, which only says that `next` (the cursor of the
 * page's last row) is due. A page starts after the last row read by its place in the list's order,
 * not by a count of rows, so rows added or removed between two pages never make the second skip
 * or repeat a row that was there for both.
 *
 * @example
 * pageRead(store.page(after, limit + 1), limit, (k) => k.keyId)
 */
export function pageRead<T>(
  rows: readonly T[],
  limit: number,
  cursor: (row: T) => string,
): { page: T[]; next?: string } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return rows.length > limit && last !== undefined ? { page, next: cursor(last) } : { page };
}

/** A cursor the list cannot read: refused by name, as any malformed field is. */
export function badCursor(what: string): CredenceError {
  return new CredenceError('CREDENCE_E_USAGE', `after: ${what}; send the next of the page before`, {
    field: 'after',
  });
}

/**
 * SQLite's BINARY order of two strings (their UTF-8 bytes, which is code point order), for lists
 * sorted by a name or an id and cursors checked against a page SQLite read. Not JS's `<`, which
 * compares UTF-16 code units: U+E000–U+FFFF (one unit) sort there after the surrogates of every
 * character past U+FFFF, and in UTF-8 before them, so a source named with both was listed out of
 * SQLite's order and a page's `next` skipped or repeated sources.
 *
 * @example
 * ['\u{10000}', '\uE000'].sort(byText) // ['\uE000', '\u{10000}'], as ORDER BY has them
 */
export function byText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  // Where both are at or past the surrogates, units U+E000–U+FFFF go before them (code point
  // order); below U+D800 units already compare as their code points.
  if (x >= 0xd800 && y >= 0xd800)
    return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000);
  return x - y;
}
