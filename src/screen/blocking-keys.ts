/**
 * The blocking keys of the screening index: a listed name is filed under each, and a query looks
 * up its own. The key text is hashed (`keyHash`) before it reaches the postings.
 */

/** The name's parts in sorted order: the same key whatever order they were written in. */
export function fullKey(tokens: readonly string[]): string {
  return `f:${[...tokens].sort().join(' ')}`;
}

/** The full key narrowed to one birth year (`?` for people whose date of birth is unknown). */
export function yearKey(full: string, year: string): string {
  return `y${full.slice(1)}|${year}`;
}

/** The parts as written, and with each two neighbours joined (`jian hua` → `jianhua`). */
function variants(tokens: readonly string[]): (readonly string[])[] {
  const out: (readonly string[])[] = [tokens];
  for (let i = 0; i + 1 < tokens.length; i++) {
    out.push([...tokens.slice(0, i), `${tokens[i]}${tokens[i + 1]}`, ...tokens.slice(i + 2)]);
  }
  return out;
}

/** A part and every spelling of it with one letter deleted (parts of three letters or more). */
function deletions(t: string): string[] {
  const out = [t];
  if (t.length < 3) return out;
  for (let i = 0; i < t.length; i++) out.push(t.slice(0, i) + t.slice(i + 1));
  return out;
}

/**
 * Typo keys: every part exact but one, which may be one slip away (a letter added, dropped,
 * changed or two swapped: such spellings share a one-letter deletion); for each way of writing
 * the name (parts joined or not). Two names one slip apart always share a key.
 */
export function typoKeys(tokens: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const v of variants(tokens)) {
    for (let i = 0; i < v.length; i++) {
      const rest = [...v.slice(0, i), ...v.slice(i + 1)].sort().join(' ');
      for (const d of deletions(v[i] as string)) keys.add(`t:${rest}~${d}`);
    }
  }
  return [...keys];
}

/**
 * Keys of the name with one part left out (names of three parts or more: a middle name). Not for
 * Chinese names: their parts are the syllables of one family and one given name, none optional.
 */
export function dropKeys(tokens: readonly string[], chinese: boolean): string[] {
  if (tokens.length < 3 || chinese) return [];
  const keys = new Set<string>();
  for (let i = 0; i < tokens.length; i++)
    keys.add(`d:${[...tokens.slice(0, i), ...tokens.slice(i + 1)].sort().join(' ')}`);
  return [...keys];
}

/**
 * The keys a query without an exact namesake looks up: its typo keys, and for a middle name on
 * one side only, the query without one part (against full keys) or whole (against drop keys).
 */
export function fuzzyQueryKeys(tokens: readonly string[], chinese: boolean): string[] {
  return [
    ...typoKeys(tokens),
    ...dropKeys(tokens, chinese).map((k) => `f:${k.slice(2)}`),
    ...(chinese ? [] : [`d:${fullKey(tokens).slice(2)}`]),
  ];
}
