import type { AuditEntry, AuditInput } from './audit-entry.js';
import type { AuditVerifyReport } from './audit-verify.js';

/** Told once an append is done: the stored entry, or the error (and no entry) when nothing was stored. */
export type AppendDone = (err: Error | null, entry: AuditEntry | undefined) => void;

export interface AuditQuery {
  readonly subject?: string;
  /** Only these actions. */
  readonly actions?: readonly string[];
  /** Entries at or after this instant (epoch ms). */
  readonly since?: number;
  /** Entries after this one (its seq): the cursor a page ends with, never shown twice. */
  readonly afterSeq?: number;
  readonly actor?: string;
  readonly limit?: number;
}

/**
 * The audit-log port: an append-only, hash-chained record of every write and every read of a
 * person's data. Appends are durable when the promise resolves (the API awaits them before it
 * answers, so no successful inquiry can go unrecorded).
 *
 * @example
 * const log = await openSqliteAuditLog('credence.db');
 * await log.append({ at: Date.now(), actor: 'key:ab12cd34', action: 'score.query', subject: 'P0000001', purpose: 'tenancy' });
 */
export interface AuditLog {
  append(entry: AuditInput): Promise<AuditEntry>;
  /**
   * Appends one entry and commits it at once, inside the caller's transaction when there is one
   * (adapters that can write synchronously). For a caller that must write before anything else
   * gets to the database: the group commit of `append` waits for the next turn.
   */
  appendSync?(entry: AuditInput): AuditEntry;
  /**
   * `append` with a callback instead of a promise (adapters that group commits): `done` is called
   * once the entry is durable, or with the error when it was not stored. For a hot path that
   * answers from the callback, without a promise and a microtask per call.
   */
  appendThen?(entry: AuditInput, done: AppendDone): void;
  /** Appends several entries in one transaction, in order. */
  appendMany(entries: readonly AuditInput[]): Promise<AuditEntry[]>;
  /** Entries in seq order, newest last. */
  query(q: AuditQuery): Promise<AuditEntry[]>;
  /** The last entry's seq and hash (0 and the genesis hash when empty). */
  head(): Promise<{ seq: number; hash: string }>;
  /** The seq of the entry with this hash, if any (to find a head published earlier). */
  seqOfHash?(hash: string): Promise<number | undefined>;
  /** Walks the whole chain and names the first bad entry. */
  verify(onProgress?: (entries: number) => void): Promise<AuditVerifyReport>;
  close(): Promise<void>;
}
