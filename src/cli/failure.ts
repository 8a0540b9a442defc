import { type ErrorCode, type ErrorDetail, errorCatalogue, isCredenceError } from '../core/errors/index.js';

/** What ended a command: its catalogue code, its message and, for a Credence error, its details. */
export interface Failure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
}

/**
 * The code and words a failure is shown with. Every failure carries a catalogue code: SQLite's
 * "database is locked" (another process kept the write lock past the busy timeout) is the
 * database's; anything else that is not a Credence error is a bug.
 */
export function failureOf(e: unknown): Failure {
  if (isCredenceError(e)) return { code: e.code, message: e.message, details: e.details };
  const sqlite = String((e as { code?: unknown })?.code ?? '');
  if (sqlite.startsWith('SQLITE_BUSY') || sqlite.startsWith('SQLITE_LOCKED'))
    return {
      code: 'CREDENCE_E_DB',
      message:
        'the database is locked by another process writing it (waited 10 s): run this again when it has finished',
    };
  return { code: 'CREDENCE_E_INTERNAL', message: (e as Error)?.message ?? String(e) };
}

/**
 * Runs a `--json` command's work; if it fails, its one line on stdout is the error
 * (`{"error":{"code","message","details"}}`, beside what `extra` adds) before the error goes on
 * to stderr and the exit code as always: a script reading stdout got nothing when the run stopped
 * before reading its input (a missing or unreadable file).
 */
export async function jsonLineOnFailure<T>(
  json: boolean | undefined,
  run: () => Promise<T>,
  extra: () => Record<string, unknown> = () => ({}),
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (json) process.stdout.write(`${JSON.stringify({ error: failureOf(e), ...extra() })}\n`);
    throw e;
  }
}

/**
 * Of two refusal codes, the one whose exit status is higher: a run with refusals of several kinds
 * exits with the gravest (6 the hard line, over 5 a conflict, over 3 invalid input), not with
 * whichever came first in line order, so the same file exits the same way however it is sorted.
 */
export function graver(a: ErrorCode | undefined, b: ErrorCode): ErrorCode {
  return a !== undefined && errorCatalogue[a].exit >= errorCatalogue[b].exit ? a : b;
}
