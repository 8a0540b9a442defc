import type { Command } from 'commander';
import { parseInstant } from '../core/time/index.js';
import { defaultDbPath } from '../open-app.js';

/** Adds the shared `--db PATH` option. */
export function withDb(cmd: Command): Command {
  return cmd.option('--db <path>', 'database file (default: $CREDENCE_DB, else ./credence.db)');
}

export function dbPath(opts: { db?: string }): string {
  return opts.db ?? defaultDbPath();
}

/** `--as-of`/`--at`: an ISO instant, else now (the one place the CLI reads the clock for a score). */
export function instantOption(text: string | undefined, flag: string): number {
  return text === undefined ? Date.now() : parseInstant(text, flag);
}

/** Writes one JSON object and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
