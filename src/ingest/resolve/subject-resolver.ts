import type { ErrorCode } from '../../core/errors/index.js';
import type { Subject } from '../../core/facts/fact.js';
import type { NewIdentifier } from '../../store/store.js';

export type Resolution =
  | { readonly ok: true; readonly subject: string; readonly created: boolean }
  | { readonly ok: false; readonly code: ErrorCode; readonly field: string; readonly reason: string };

/** New subjects and identifier links a batch of resolutions produced, to commit with the batch. */
export interface ResolverWrites {
  readonly subjects: string[];
  readonly identifiers: NewIdentifier[];
}

/**
 * Resolves a fact's subject to a person, batch by batch: `prepare` fetches what the batch needs
 * from the store (one call), `resolve` then answers without I/O, and `take` hands over the new
 * rows to write in the batch's transaction. The identity module's resolver will sit behind the
 * same interface.
 */
export interface SubjectResolver {
  prepare(subjects: readonly Subject[]): Promise<void>;
  /** `at`: the fact's instant (epoch ms), against which an MRZ's two-digit birth year is read. */
  resolve(subject: Subject, at?: number): Resolution;
  take(): ResolverWrites;
  /** Forgets what was not committed (the batch's transaction failed). */
  reset(): void;
}
