import { Command, CommanderError } from 'commander';
import { formatDetail, isCredenceError } from '../core/errors/index.js';
import { registerAll } from './commands/index.js';

/**
 * Runs the `credence` command line and returns its exit code. A `CredenceError` prints
 * `error: <message>` and each detail (file:line field: reason [CODE]) on stderr and exits with
 * its catalogue exit code; anything else prints a short message (the stack with CREDENCE_DEBUG=1).
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('credence')
    .description('Open, accountable trust scoring: declarative rulebooks, explained points, real opt-out.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerAll(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; usage errors have been printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isCredenceError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      const only = e.details.length === 1 ? e.details[0] : undefined;
      const trivial =
        only &&
        only.reason === e.message &&
        only.file === undefined &&
        only.line === undefined &&
        !only.field &&
        !only.path;
      if (trivial) process.stderr.write(`  [${e.code}]\n`);
      else for (const d of e.details) process.stderr.write(`  ${formatDetail(d)}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`error: ${err?.message ?? String(e)}\n`);
    if (process.env.CREDENCE_DEBUG === '1' && err?.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
