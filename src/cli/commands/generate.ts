import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { DEFAULT_DAYS, DEFAULT_END, DEFAULT_SEED, generateJsonl, writeLines } from '../../generate/index.js';

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new CredenceError('CREDENCE_E_USAGE', `${flag} must be a whole number, got "${text}"`, {
      field: flag,
    });
  }
  return Number(text);
}

/**
 * `credence generate --people N [--days D] [--seed S] [--end ISO]`: a synthetic population's facts
 * for both example programs, as JSON Lines on stdout. Same arguments, byte-identical output.
 */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Write a deterministic synthetic population as JSON Lines facts to stdout')
    .requiredOption('--people <n>', 'how many people')
    .option('--days <d>', 'length of the span in days, ending at --end', String(DEFAULT_DAYS))
    .option(
      '--seed <s>',
      'PRNG seed: same seed and arguments give byte-identical output',
      String(DEFAULT_SEED),
    )
    .option('--end <iso>', 'end of the span (exclusive)', DEFAULT_END)
    .action(async (opts: { people: string; days: string; seed: string; end: string }) => {
      const lines = generateJsonl({
        people: wholeNumber('--people', opts.people),
        days: wholeNumber('--days', opts.days),
        seed: wholeNumber('--seed', opts.seed),
        end: opts.end,
      });
      // `credence generate | head` closes the pipe early: that ends the output, it is not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
      await writeLines(lines, process.stdout);
    });
}
