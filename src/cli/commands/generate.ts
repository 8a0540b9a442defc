import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant, tryParseInstant } from '../../core/time/index.js';
import {
  DEFAULT_DAYS,
  DEFAULT_SEED,
  type GenerateOptions,
  generateJsonl,
  generateJsonlWithTruth,
  recentEnd,
  TRUTH_HEADER,
  writeLines,
} from '../../generate/index.js';
import { wholeNumberOption } from '../number-option.js';

function openTruth(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new CredenceError('CREDENCE_E_IO', `cannot write the truth file ${path}: ${(e as Error).message}`, {
      file: path,
    });
  }
}

/**
 * `credence generate --people N [--days D] [--seed S] [--end ISO] [--truth FILE]`: a synthetic
 * population's facts for both example programs, as JSON Lines on stdout (and, with --truth, who
 * each fact is really about). Same arguments (and --end, which defaults to today), byte-identical output.
 */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Write a deterministic synthetic population as JSON Lines facts to stdout')
    .requiredOption('--people <n>', 'how many people')
    .option(
      '--days <d>',
      `length of the span in days, ending at --end (default: ${DEFAULT_DAYS}; ${DEFAULT_DAYS - 1} up to today)`,
    )
    .option(
      '--seed <s>',
      'PRNG seed: same seed and arguments give byte-identical output',
      String(DEFAULT_SEED),
    )
    .option('--end <iso>', 'end of the span (exclusive; default: today, 00:00 UTC)')
    .option('--truth <file>', 'also write the ground truth, CSV source,id,person,document, to this file')
    .action(async (opts: { people: string; days?: string; seed: string; end?: string; truth?: string }) => {
      // Up to today, a day less: ingested later today, the first day's facts would already be a
      // year old (a type kept P1Y, wallet balances) and refused as past retention.
      const days = opts.days ?? String(opts.end === undefined ? DEFAULT_DAYS - 1 : DEFAULT_DAYS);
      const options: GenerateOptions = {
        people: wholeNumberOption(opts.people, '--people'),
        days: wholeNumberOption(days, '--days'),
        seed: wholeNumberOption(opts.seed, '--seed'),
        // A population over the year up to today: ingested now, none of it is already past its
        // retention (a fixed end would age into refusals, CREDENCE_E_FACT_PAST_RETENTION).
        end: opts.end ?? recentEnd(),
      };
      // Facts dated after now are refused by ingest as dated ahead (CREDENCE_E_FACT_IN_FUTURE):
      // said once here, not found out line by line at ingest.
      const end = opts.end === undefined ? undefined : tryParseInstant(opts.end);
      const now = Date.now();
      if (end !== undefined && end > now)
        process.stderr.write(
          `note: --end ${opts.end} is after now (${formatInstant(now)}): \`credence ingest\` refuses the facts dated after now (CREDENCE_E_FACT_IN_FUTURE) until their day comes\n`,
        );
      // `credence generate | head` closes the pipe early: that ends the output, it is not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
      if (opts.truth === undefined) {
        await writeLines(generateJsonl(options), process.stdout);
        return;
      }
      const fd = openTruth(opts.truth);
      try {
        writeSync(fd, TRUTH_HEADER);
        await writeLines(
          generateJsonlWithTruth(options, (rows) => writeSync(fd, rows)),
          process.stdout,
        );
      } finally {
        closeSync(fd);
      }
    });
}
