import { hashKey } from './match/block-index.js';
import {
  blockingKeys,
  lookupKeys,
  type Profile,
  type ProfileOptions,
  profileHash,
  strongKeys,
  toProfile,
} from './profile.js';
import type { PersonRecord } from './types.js';
import { validatePassport } from './validate/passport.js';

/**
 * How many profiles of one blocking key a record is compared with (the most recent, by first
 * arrival). The store reads back exactly this many per key, so it is one constant.
 */
export const BLOCK_LIMIT = 20;

// A strong key is written as the blocking key of the same text: `n:`, `p:` and `a:` keys are both
// (a profile's first record carries both or neither), so only a KYC-bound phone (`k:`), which no
// blocking key spells, needs a row of its own. Fewer rows for every record the store indexes.
const OWN_ROW = 'k:';

/**
 * What the store indexes a record by, so that a batch's candidates can be read back without
 * restoring everyone (docs/identity.md, "Scale"): the profile's signature on every record, and on
 * the first record of each distinct profile its blocking keys and the strong keys it claims,
 * hashed.
 */
export interface IndexKeys {
  readonly sig: number;
  /** Only on a profile's first record: blocking-key hashes, then strong-key hashes. */
  readonly keys?: number[];
}

/** A first record's keys (`blocks`: its blocking-key hashes, when already computed). */
export function indexKeys(p: Profile, sig: number, blocks?: ArrayLike<number>): Required<IndexKeys> {
  const keys = blocks ? Array.from(blocks) : blockingKeys(p).map(hashKey);
  for (const k of strongKeys(p)) if (k.startsWith(OWN_ROW)) keys.push(hashKey(k));
  return { sig, keys };
}

/** What a new record's resolution reads from everyone known: its candidates' keys. */
export interface CandidateKeys {
  readonly sig: number;
  /** Blocking-key hashes: the newest `BLOCK_LIMIT` profiles of each. */
  readonly block: number[];
  /** Strong-key hashes it looks up: the first record that claimed each. */
  readonly strong: number[];
}

export function candidateKeys(record: PersonRecord, opts: ProfileOptions = {}): CandidateKeys {
  const p = toProfile(record, opts);
  return { sig: profileHash(p), block: blockingKeys(p).map(hashKey), strong: lookupKeys(p).map(hashKey) };
}

/**
 * Index keys of stored records met in arrival order, for a store indexing the records it kept
 * before it indexed them: the first record of each signature carries the keys.
 */
export class RecordIndexer {
  readonly #seen = new Set<number>();

  keysOf(record: PersonRecord): IndexKeys {
    const p = toProfile(record);
    const sig = profileHash(p);
    if (this.#seen.has(sig)) return { sig };
    this.#seen.add(sig);
    return indexKeys(p, sig);
  }
}

/**
 * A strong key as the current build spells it, for one an older build stored (an operator's
 * override after a split): a passport's country is read as its three-letter code, so
 * `p:CN:E12345678` is `p:CHN:E12345678`. Other keys are spelled as they were (a resident ID or
 * passport an older build did not fold was not valid then, so it has no stored strong key).
 *
 * @example
 * strongKeyNow('p:CN:E12345678') // 'p:CHN:E12345678'
 */
export function strongKeyNow(key: string): string {
  if (!key.startsWith('p:')) return key;
  const at = key.indexOf(':', 2);
  if (at < 0) return key;
  const pp = validatePassport(key.slice(2, at), key.slice(at + 1));
  return pp.key ? `p:${pp.key}` : key;
}
