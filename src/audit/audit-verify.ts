import { type AuditEntry, entryHash, GENESIS_HASH } from './audit-entry.js';

/** Why an entry fails verification. */
export type AuditProblemKind =
  | 'changed'
  | 'missing'
  | 'reordered'
  | 'truncated'
  | 'head-mismatch'
  /** An entry about a person is missing from the index their inquiry list is read through. */
  | 'unindexed'
  /** No entry has the hash a head published earlier had: the chain was rewritten up to it. */
  | 'published-missing';

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The first bad entry's sequence number (for `missing`, the first one absent). */
  readonly seq: number;
  readonly reason: string;
}

export interface AuditVerifyReport {
  readonly ok: boolean;
  /** Entries read. */
  readonly entries: number;
  /** The last entry's seq and hash: publish it to detect a rewrite of the whole chain. */
  readonly head: { readonly seq: number; readonly hash: string };
  readonly problem?: AuditProblem;
  /** A head published earlier, found in the chain (`withPublishedHead`). */
  readonly published?: { readonly seq: number; readonly hash: string };
}

/**
 * Holds a verified chain to a head published earlier (`head.hash` of an older report): the log
 * keeps growing, so that entry is no longer the last one, but it must still be in the chain, at
 * or before the head checked. Found there, every entry up to it is as it was when it was
 * published (each hash seals the one before); not found, the chain was rewritten up to it, hashes
 * and head recomputed, which the chain alone cannot show. `seqOf`: the seq of the entry with a
 * hash, if any. A report that failed already is returned as it is.
 *
 * @example
 * await withPublishedHead(await log.verify(), published, (h) => log.seqOfHash(h))
 */
export async function withPublishedHead(
  report: AuditVerifyReport,
  published: string,
  seqOf: (hash: string) => Promise<number | undefined>,
): Promise<AuditVerifyReport> {
  if (!report.ok) return report;
  const seq = published === GENESIS_HASH ? 0 : await seqOf(published);
  if (seq !== undefined && seq <= report.head.seq) return { ...report, published: { seq, hash: published } };
  return {
    ...report,
    ok: false,
    problem: {
      kind: 'published-missing',
      seq: report.head.seq,
      reason: `no entry up to ${report.head.seq} has the published hash ${published}: the chain was rewritten up to the entry that had it (its hashes and head recomputed)`,
    },
  };
}

/**
 * Checks a chain entry by entry in stored order and stops at the first bad one. A changed entry
 * no longer matches its own hash; a deleted one leaves a gap in `seq` or a `prevHash` that names
 * a hash nobody has; moved entries come out of `seq` order or break the link to their neighbour.
 *
 * @example
 * const v = new AuditVerifier(); for (const e of entries) if (!v.push(e)) break; v.finish(head)
 */
export class AuditVerifier {
  #seq = 0;
  #hash = GENESIS_HASH;
  #entries = 0;
  #problem: AuditProblem | undefined;

  get problem(): AuditProblem | undefined {
    return this.#problem;
  }

  /** Checks the next stored entry; false once a problem is found. */
  push(e: AuditEntry): boolean {
    if (this.#problem) return false;
    this.#entries++;
    const expected = this.#seq + 1;
    if (e.seq !== expected) {
      this.#problem =
        e.seq > expected
          ? {
              kind: 'missing',
              seq: expected,
              reason: `entry ${expected} is missing (the next stored entry is ${e.seq})`,
            }
          : {
              kind: 'reordered',
              seq: e.seq,
              reason: `entry ${e.seq} is out of order (after entry ${this.#seq})`,
            };
      return false;
    }
    if (entryHash(e) !== e.hash) {
      this.#problem = {
        kind: 'changed',
        seq: e.seq,
        reason: `entry ${e.seq} was changed: its content no longer matches its hash`,
      };
      return false;
    }
    if (e.prevHash !== this.#hash) {
      this.#problem = {
        kind: 'reordered',
        seq: e.seq,
        reason: `entry ${e.seq} does not follow entry ${this.#seq}: the chain was rewritten or reordered here`,
      };
      return false;
    }
    this.#seq = e.seq;
    this.#hash = e.hash;
    return true;
  }

  /**
   * Ends the walk. `head` is the separately kept record of the last entry appended: fewer entries
   * than it names means the tail was cut; a different hash means the chain was rewritten.
   */
  finish(head?: { readonly seq: number; readonly hash: string }): AuditVerifyReport {
    const last = { seq: this.#seq, hash: this.#hash };
    if (!this.#problem && head) {
      if (head.seq > this.#seq) {
        this.#problem = {
          kind: 'truncated',
          seq: this.#seq + 1,
          reason: `entries ${this.#seq + 1}..${head.seq} are missing: the log was cut after entry ${this.#seq}`,
        };
      } else if (head.seq !== this.#seq || head.hash !== this.#hash) {
        this.#problem = {
          kind: 'head-mismatch',
          seq: head.seq,
          reason: `the recorded head (entry ${head.seq}) does not match the chain's last entry ${this.#seq}`,
        };
      }
    }
    return {
      ok: this.#problem === undefined,
      entries: this.#entries,
      head: last,
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }
}
