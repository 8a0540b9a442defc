import { userInfo } from 'node:os';
// The appender alone, not the audit module's index: `credence score` and `credence explain` are
// bundled, and the adapter behind the index starts worker threads a bundle cannot carry.
import type { AuditEntry } from '../audit/audit-entry.js';
import { appendToAuditLog } from '../audit/sqlite/append-entries.js';
import { CredenceError } from '../core/errors/index.js';
import type { ScoreOutcome } from '../core/scoring/index.js';
import { noteSealCheckpoint, sealsFor } from '../store/sqlite/seals-file.js';

/** An entry by the CLI's user: what was done, about whom (one person), and the rest in `detail`. */
export interface CliEntry {
  readonly action: string;
  readonly subject?: string;
  readonly detail: Record<string, unknown>;
}

/** Who the audit log names for a command run at this terminal: `cli:<user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Appends entries by the CLI's user, in this order and one transaction, committed when it returns. */
export function appendCliEntries(path: string, entries: readonly CliEntry[]): AuditEntry[] {
  const at = Date.now();
  const actor = cliActor();
  return appendToAuditLog(
    path,
    entries.map((e) => ({ at, actor, ...e })),
  );
}

/**
 * Logs a read of people's data before anything of it is shown, as the API answers only once its
 * entry is stored: a read that cannot be logged fails (CREDENCE_E_DB) and shows nothing.
 */
export function auditRead(path: string, entries: readonly CliEntry[]): void {
  try {
    appendCliEntries(path, entries);
  } catch (e) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `nothing is shown: this read could not be written to the audit log (${(e as Error).message})`,
      { file: path },
    );
  }
}

/**
 * Logs a write once it is committed. The write and the log are on different connections (the
 * store's writes are its own, some on a writer thread), so they cannot share a transaction: a
 * failed append is an error (CREDENCE_E_DB) that says the write was done all the same.
 */
export function auditWrite(path: string, entry: CliEntry, done: string): void {
  try {
    // The seal over the facts as an ingest, import or purge left them (over the rulebooks, as a
    // program load did) goes into the chain with its entry, so a later edit of a fact (a
    // rulebook) stored by then fails `credence audit verify` even if the edit also forged the
    // seal (docs/api.md, "The audit log"). Other writes leave them to the next checkpoint and to
    // the seals themselves.
    const seals = sealsFor(path, entry.action);
    const sealed = seals.factSeal !== undefined || seals.programSeal !== undefined;
    const [written] = appendCliEntries(path, [
      sealed ? { ...entry, detail: { ...entry.detail, ...seals } } : entry,
    ]);
    if (sealed && written) noteSealCheckpoint(path, written.seq);
  } catch (e) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `${done}, but its audit entry could not be written (${(e as Error).message})`,
      { file: path },
    );
  }
}

/**
 * Logs that a command writing in many transactions (an ingest, an import) starts, before its
 * first write: a run killed midway leaves this entry without its end. One that cannot be logged
 * writes nothing (CREDENCE_E_DB).
 */
export function auditStart(path: string, entry: CliEntry): void {
  try {
    appendCliEntries(path, [entry]);
  } catch (e) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `nothing was written: the start of this command could not be written to the audit log (${(e as Error).message})`,
      { file: path },
    );
  }
}

/**
 * Logs the end of a run stopped at once (a second Ctrl-C or SIGTERM), just before the process
 * exits: synchronous, since `process.exit` follows. If it cannot be written, that is said on
 * stderr and the process exits all the same, as the operator asked.
 */
export function auditAbandoned(path: string, entry: CliEntry): void {
  try {
    appendCliEntries(path, [{ ...entry, detail: { ...entry.detail, interrupted: true, abandoned: true } }]);
  } catch (logError) {
    process.stderr.write(
      `error: the end of this run could not be written to the audit log (${(logError as Error).message})\n`,
    );
  }
}

/** The entry of a score shown to the operator: what was shown, as the API's `score.query` keeps it. */
export function scoreRead(subject: string, asOf: number, o: ScoreOutcome, projection = false): CliEntry {
  const shown = o.status === 'scored' ? { score: o.score, tier: o.tier } : { reason: o.reason };
  return {
    action: 'score.read',
    subject,
    // A look ahead is said as the answer said it (`projectionNote`), as screen's entries say it.
    detail: {
      program: o.program,
      version: o.version,
      asOf,
      status: o.status,
      ...shown,
      ...(projection ? { projection: true } : {}),
    },
  };
}

/**
 * Logs the end of a run that failed, with the error that ended it (what was committed before it
 * stays). The run's own error is the one to report: if this entry cannot be written either, that
 * is said on stderr and the caller rethrows the run's error.
 */
export function auditFailed(
  path: string,
  entry: Omit<CliEntry, 'detail'> & { detail: Record<string, unknown> },
  e: unknown,
): void {
  const failed = e as { code?: unknown; message?: unknown } | null;
  try {
    appendCliEntries(path, [
      {
        ...entry,
        detail: {
          ...entry.detail,
          failed: { code: String(failed?.code ?? 'error'), reason: String(failed?.message ?? e) },
        },
      },
    ]);
  } catch (logError) {
    process.stderr.write(
      `error: the end of this run could not be written to the audit log (${(logError as Error).message})\n`,
    );
  }
}
