import { Command, CommanderError } from 'commander';
import { type ErrorCode, errorCatalogue, formatDetail, isCredenceError } from '../core/errors/index.js';
import { failureOf } from './failure.js';

const USAGE: ErrorCode = 'CREDENCE_E_USAGE';

type Register = (program: Command) => void;

// Commands that load only their own module: `credence score` must not pay for every other
// command's dependencies at start-up. Anything else (and `--help`) registers all commands;
// `--version` registers none.
const FAST: Record<string, () => Promise<Register>> = {
  score: async () => (await import('./commands/score.js')).registerScore,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
  consent: async () => (await import('./commands/consent.js')).registerConsent,
  export: async () => (await import('./commands/export.js')).registerExport,
  ingest: async () => (await import('./commands/ingest.js')).registerIngest,
  import: async () => (await import('./commands/import.js')).registerImport,
  init: async () => (await import('./commands/init.js')).registerInit,
  program: async () => (await import('./commands/program.js')).registerProgram,
  purge: async () => (await import('./commands/purge.js')).registerPurge,
  screen: async () => (await import('./commands/screen.js')).registerScreen,
  rebuild: async () => (await import('./commands/rebuild.js')).registerRebuild,
  generate: async () => (await import('./commands/generate.js')).registerGenerate,
  '--version': async () => () => {},
  '-V': async () => () => {},
};

/**
 * Runs the `credence` command line and returns its exit code. A `CredenceError` prints
 * `error: <message>` and each detail (file:line field: reason [CODE]) on stderr and exits with
 * its catalogue exit code; anything else prints a short message (the stack with CREDENCE_DEBUG=1).
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  // Output piped into a reader that stops early (`credence audit list | head`): end quietly, as
  // Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  const program = new Command('credence')
    .description('Open, accountable trust scoring: declarative rulebooks, explained points, real opt-out.')
    .version('0.1.0')
    .showHelpAfterError()
    // The parser's own refusals (an unknown option, a missing argument) carry the catalogue's
    // usage code as every other error does, right after the message; subcommands inherit this.
    .configureOutput({ outputError: (text, write) => write(`${text.replace(/\n$/, '')}\n  [${USAGE}]\n`) })
    .exitOverride();
  const name = argv[2];
  const fast = name !== undefined && Object.hasOwn(FAST, name) ? FAST[name] : undefined;
  if (fast) (await fast())(program);
  else (await import('./commands/index.js')).registerAll(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; usage errors have been printed by commander,
      // with their code (exit 2, the catalogue's for CREDENCE_E_USAGE). A command named without
      // the subcommand it needs (or none at all) gets its help, then the error and its code.
      if (e.exitCode === 0) return 0;
      if (e.code === 'commander.help') {
        process.stderr.write(
          `error: no command given: name one of the commands listed above\n  [${USAGE}]\n`,
        );
      }
      return errorCatalogue[USAGE].exit;
    }
    if (isCredenceError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      const only = e.details.length === 1 ? e.details[0] : undefined;
      // A lone detail that only repeats the message adds nothing but its code.
      const trivial = only && only.reason === e.message && only.line === undefined;
      if (trivial) process.stderr.write(`  [${e.code}]\n`);
      else for (const d of e.details) process.stderr.write(`  ${formatDetail(d)}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    const { code, message } = failureOf(e);
    process.stderr.write(`error: ${message}\n  [${code}]\n`);
    if (process.env.CREDENCE_DEBUG === '1' && err?.stack) process.stderr.write(`${err.stack}\n`);
    return errorCatalogue[code].exit;
  }
}
