import { fullKey, fuzzyQueryKeys } from './blocking-keys.js';
import { type NameTokens, nameTokens } from './name-tokens.js';
import { keyHash } from './postings.js';

/** A query's name, folded once, with the blocking keys it looks up (hashed). */
export interface QueryName extends NameTokens {
  readonly full: string;
  readonly fullHash: number;
  /** Letters of all parts. */
  readonly letters: number;
  /** Hashes of `fuzzyQueryKeys`, in their order: made on the first query that needs them. */
  fuzzyHashes: Uint32Array | undefined;
}

/** Most names kept; the whole table is dropped when full (cheaper than tracking recency). */
const CAPACITY = 1 << 14;

/**
 * The folded form of recent query names. Folding (pinyin of characters, syllable splitting,
 * legal forms) and key hashing cost more than the look-ups of a query whose name is listed
 * exactly, and relying parties screen the same common names again and again. The result depends
 * on the name alone, so a cached answer is the answer.
 *
 * @example
 * const names = new QueryNames();
 * names.get('王伟') === names.get('王伟') // true
 */
export class QueryNames {
  readonly #cache = new Map<string, QueryName>();

  get(name: string): QueryName {
    const hit = this.#cache.get(name);
    if (hit) return hit;
    const t = nameTokens(name);
    const full = fullKey(t.tokens);
    let letters = 0;
    for (const x of t.tokens) letters += x.length;
    const q: QueryName = {
      tokens: Object.freeze([...t.tokens]),
      organisation: t.organisation,
      chinese: t.chinese,
      full,
      fullHash: keyHash(full),
      letters,
      fuzzyHashes: undefined,
    };
    if (this.#cache.size >= CAPACITY) this.#cache.clear();
    this.#cache.set(name, q);
    return q;
  }

  /** The hashed fuzzy keys of a query name. */
  fuzzy(q: QueryName): Uint32Array {
    q.fuzzyHashes ??= Uint32Array.from(fuzzyQueryKeys(q.tokens, q.chinese), keyHash);
    return q.fuzzyHashes;
  }
}
