import type { Command } from 'commander';
import { initDatabase } from '../../open-app.js';
import { dbPath, printJson, withDb } from '../options.js';

/** `credence init [--db PATH]`: creates the database file and applies migrations (idempotent). */
export function registerInit(program: Command): void {
  withDb(program.command('init').description('Create (or upgrade) the database'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const path = dbPath(opts);
      await initDatabase(path);
      if (opts.json) printJson({ db: path, initialised: true });
      else process.stdout.write(`initialised ${path}\n`);
    });
}
