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

/**
 * How many profiles of one blocking key a record is compared with (the most recent, by first
 * arrival). The store reads back exactly this many per key, so it is one constant.
 */
export const BLOCK_LIMIT = 20;

// Strong keys share the store's key table with blocking keys; the prefix keeps the two apart.
const STRONG = 's\u0001';

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
  for (const k of strongKeys(p)) keys.push(strongHash(k));
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
  return { sig: profileHash(p), block: blockingKeys(p).map(hashKey), strong: lookupKeys(p).map(strongHash) };
}

function strongHash(key: string): number {
  return hashKey(STRONG + key);
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
