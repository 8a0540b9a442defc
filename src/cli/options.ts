import type { Command } from 'commander';
import { CredenceError } from '../core/errors/index.js';
import { parseInstant } from '../core/time/index.js';
import { defaultDbPath } from '../open-app.js';

/** Adds the shared `--db PATH` option. */
export function withDb(cmd: Command): Command {
  return cmd.option('--db <path>', 'database file (default: $CREDENCE_DB, else ./credence.db)');
}

export function dbPath(opts: { db?: string }): string {
  return opts.db === undefined ? defaultDbPath() : nonEmptyDb(opts.db);
}

/**
 * `--db ''` (`--db "$DB"` with DB unset) is refused: SQLite opens an empty path as a temporary
 * database deleted on close, so `init` said "initialised" and made nothing.
 */
export function nonEmptyDb(path: string): string {
  if (path !== '') return path;
  throw new CredenceError(
    'CREDENCE_E_USAGE',
    '--db names no file (an empty path): give the database file, or leave --db out for $CREDENCE_DB, else ./credence.db',
    { field: '--db' },
  );
}

/** `--as-of`/`--at`: an ISO instant, else now (the one place the CLI reads the clock for a score). */
export function instantOption(text: string | undefined, flag: string): number {
  if (text === undefined) return Date.now();
  // `--as-of --json`: the value was forgotten and the next option taken for it.
  if (/^--?[a-z]/i.test(text))
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${flag} needs an instant (e.g. 2026-03-01T10:00:00Z), but was followed by the option ${text}`,
      { field: flag },
    );
  return parseInstant(text, flag);
}

/** Writes one JSON object and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * SUBJECT given empty or as spaces only (`credence score "$ID"` with ID unset) is a usage error,
 * refused before the database is opened: looked up, it was "no person" (exit 4), which a script
 * reads as a person Credence does not hold rather than an argument it forgot.
 */
export function subjectArgument(text: string): string {
  if (text.trim() !== '') return text;
  throw new CredenceError(
    'CREDENCE_E_USAGE',
    'SUBJECT is empty: give a subject id (e.g. P0000001) or a strong identifier of one person',
    { field: 'SUBJECT' },
  );
}
