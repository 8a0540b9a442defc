// A JSON line whose object names a key twice parses to the last value (JSON.parse), while the
// line itself, stored as the fact's body, keeps both: what was validated is not what is kept. A
// first `data` holding `religion`, followed by a plain one, passed the hard line and was stored.

/**
 * How many `"name":` keys the text of a JSON value holds (strings skipped, escapes honoured): it
 * hops from quote to quote with `indexOf`, about a microsecond for a line of a few hundred bytes.
 */
function textKeyCount(text: string): number {
  let n = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    // The closing quote is one not escaped: preceded by an even run of backslashes.
    let j = text.indexOf('"', i + 1);
    while (j !== -1) {
      let slashes = 0;
      for (let k = j - 1; text.charCodeAt(k) === 92; k--) slashes++;
      if ((slashes & 1) === 0) break;
      j = text.indexOf('"', j + 1);
    }
    if (j === -1) return n;
    let k = j + 1;
    let c = text.charCodeAt(k);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++k);
    if (c === 58) n++; // followed by a colon: a key
    i = text.indexOf('"', k);
  }
  return n;
}

/**
 * How many keys the parsed value holds, nested objects and arrays included; walked without
 * recursion, as an HTTP body may nest thousands deep (its facts are refused one by one later).
 */
function valueKeyCount(v: unknown): number {
  let n = 0;
  const todo: unknown[] = [v];
  while (todo.length > 0) {
    const x = todo.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) {
      for (const y of x) todo.push(y);
      continue;
    }
    for (const k in x) {
      n++;
      todo.push((x as Record<string, unknown>)[k]);
    }
  }
  return n;
}

/**
 * The path of the first key named twice in one object of a JSON line (`data`, `subject.phone`),
 * or undefined when every object names each key once. `value` is what `JSON.parse(text)` gave:
 * counting keys in both is one pass over the text; the path is looked for only when they differ.
 *
 * @example
 * repeatedKey('{"a":1,"a":2}', { a: 2 }) // 'a'
 */
export function repeatedKey(text: string, value: unknown): string | undefined {
  return repeatedKeyAt(text, value)?.path;
}

/**
 * As `repeatedKey`, with where the second one starts in the text (`at`, its opening quote; -1 for
 * a key written two ways that was not found): an HTTP body of thousands of facts is one text.
 */
export function repeatedKeyAt(text: string, value: unknown): { path: string; at: number } | undefined {
  if (textKeyCount(text) === valueKeyCount(value)) return undefined;
  // Slow path: walk the text with a stack of the keys seen per object.
  const stack: { keys: Set<string> | null; path: string }[] = [];
  let pendingKey: string | undefined;
  let decoded: string | undefined;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      for (; j < len; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '"') break;
      }
      const raw = text.slice(i, j + 1);
      let k = j + 1;
      while (k < len && /\s/.test(text[k] as string)) k++;
      const top = stack[stack.length - 1];
      if (text[k] === ':' && top?.keys) {
        try {
          decoded = JSON.parse(raw) as string;
        } catch {
          decoded = raw;
        }
        const path = top.path === '' ? decoded : `${top.path}.${decoded}`;
        if (top.keys.has(decoded)) return { path, at: i };
        top.keys.add(decoded);
        pendingKey = path;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ keys: new Set(), path: pendingKey ?? stack[stack.length - 1]?.path ?? '' });
      pendingKey = undefined;
    } else if (c === '[') {
      stack.push({ keys: null, path: pendingKey ?? stack[stack.length - 1]?.path ?? '' });
      pendingKey = undefined;
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      pendingKey = undefined;
    }
  }
  // The counts differ for keys written differently that parse the same ("a\u0062" and "ab").
  return { path: '', at: -1 };
}

/** The deepest nesting a fact may have: a fact is a few levels deep; thousands overflow the stack. */
export const MAX_FACT_DEPTH = 64;

/**
 * Whether a parsed value nests objects or arrays deeper than `limit` levels. Stops at the limit,
 * so a value nested a million deep (which JSON.parse reads) costs no more than one of 65 levels.
 *
 * @example
 * nestedDeeperThan([[[]]], 2) // true
 */
export function nestedDeeperThan(v: unknown, limit: number = MAX_FACT_DEPTH): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (nestedDeeperThan(x, limit - 1)) return true;
    return false;
  }
  for (const k in v) if (nestedDeeperThan((v as Record<string, unknown>)[k], limit - 1)) return true;
  return false;
}

/** A number literal of a JSON line that JSON.parse cannot hold exactly. */
export interface InexactNumber {
  /** Where it sits (`subject.national_id`, `data.account`); '' at the top. */
  readonly path: string;
  /** The digits as written. */
  readonly literal: string;
  /** What JSON.parse reads them as. */
  readonly read: string;
}

// A number of 16 digits or more where JSON can hold a number: the text's start, or after a colon,
// comma or bracket. A resident ID or account sent as a string (`"110105…"`, in most facts) follows
// its quote and is passed here, without the strings' removal below.
const LONG_DIGITS = /(?:^|[:,[])\s*-?\d{16}/;

function pathOfNumber(v: unknown, n: number, path: string): string | undefined {
  if (typeof v === 'number') return v === n ? path : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = pathOfNumber(v[i], n, `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  for (const k in v) {
    const p = pathOfNumber((v as Record<string, unknown>)[k], n, path === '' ? k : `${path}.${k}`);
    if (p !== undefined) return p;
  }
  return undefined;
}

/**
 * The first integer literal of a JSON line (outside strings) with more digits than a double keeps:
 * JSON.parse rounds 110105194912310021 to 110105194912310020, so an ID or account number sent as
 * a number would name someone else, silently. Undefined when there is none (a line without 16
 * digits in a row where a number can stand is passed in one regular-expression test).
 *
 * @example
 * inexactNumber('{"a":110105194912310021}', { a: 110105194912310020 }) // { path: 'a', literal: '110105194912310021', read: '110105194912310020' }
 */
export function inexactNumber(text: string, value: unknown): InexactNumber | undefined {
  if (!LONG_DIGITS.test(text)) return undefined;
  // Strings removed (escapes honoured), then integer literals not part of a fraction or exponent.
  const bare = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of bare.matchAll(/(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g)) {
    const literal = m[0];
    const n = Number(literal);
    // Held exactly, or the very digits a double prints as (a serializer's shortest form of a large
    // float, 53744560239755130): read back and printed, the value is what was sent.
    if (BigInt(literal) === BigInt(n) || String(n) === literal) continue;
    return { path: pathOfNumber(value, n, '') ?? '', literal, read: BigInt(n).toString() };
  }
  return undefined;
}
