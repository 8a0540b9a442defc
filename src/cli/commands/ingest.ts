import type { Command } from 'commander';
import { CredenceError, errorCatalogue } from '../../core/errors/index.js';
import { openApp } from '../../open-app.js';
import { jsonLineOnFailure } from '../failure.js';
import { runIngest, summaryText } from '../ingest-run.js';
import { wholeNumberOption } from '../number-option.js';
import { dbPath, withDb } from '../options.js';

/**
 * A streamed ingest holds at most this many identity records (~216 MB): a 10M-line file then
 * peaks under 1 GB (BENCHMARKS.md, §Ingest 2). Runs that meet fewer never reach it.
 */
const DEFAULT_MAX_IDENTITY_RECORDS = 300_000;

interface IngestOpts {
  db?: string;
  rejects?: string;
  json?: boolean;
  batchSize: string;
  maxIdentityRecords?: string;
}

/**
 * `credence ingest FILE... [--db PATH] [--rejects FILE] [--json]`: JSON Lines facts from files
 * (or `-`/nothing for stdin). Bad lines are refused with file, line, field and reason and the
 * rest is ingested; exit 0 only when every line was accepted or a duplicate.
 */
export function registerIngest(program: Command): void {
  withDb(program.command('ingest [files...]').description('Ingest JSON Lines facts (files, or stdin)'))
    .option('--rejects <file>', 'write refused lines here, as sent, for correction and re-sending')
    .option('--json', 'print a one-line JSON summary')
    .option('--batch-size <n>', 'lines per transaction', '5000')
    .option(
      '--max-identity-records <n>',
      'identity records to hold in memory at most (~720 bytes each), or "none"; past it each batch reads its candidates from the database: bounded memory, slower',
      String(DEFAULT_MAX_IDENTITY_RECORDS),
    )
    .action(async (files: string[], opts: IngestOpts) => {
      await jsonLineOnFailure(opts.json, async () => {
        // Digits only, as every other number option: Number() reads "" and " " as 0, "1e3" as 1000.
        const text = opts.maxIdentityRecords;
        const maxIdentityRecords = text === undefined || text === 'none' ? undefined : Number(text);
        if (
          maxIdentityRecords !== undefined &&
          !(/^\d+$/.test(text ?? '') && Number.isSafeInteger(maxIdentityRecords))
        ) {
          throw new CredenceError(
            'CREDENCE_E_USAGE',
            `--max-identity-records must be a whole number of records or "none", got "${opts.maxIdentityRecords}"`,
          );
        }
        const batchSize = wholeNumberOption(opts.batchSize, '--batch-size', 1);
        const app = await openApp(dbPath(opts));
        const inputs = files.length > 0 ? files : ['-'];
        // On a terminal, reading standard input looks like a hang: say what it waits for.
        if (inputs.includes('-') && process.stdin.isTTY) {
          process.stderr.write(
            'reading facts from standard input, one JSON object a line: end with Ctrl-D, or give the file to read (credence ingest FILE)\n',
          );
        }
        try {
          const s = await runIngest(app, {
            inputs,
            batchSize,
            ...(maxIdentityRecords !== undefined ? { maxIdentityRecords } : {}),
            ...(opts.rejects ? { rejects: opts.rejects } : {}),
            ...(opts.json ? { json: true } : {}),
          });
          const { worstCode, ...summary } = s;
          if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          else process.stdout.write(summaryText(s));
          if (s.interrupted) process.exitCode = 130;
          else if (worstCode) process.exitCode = errorCatalogue[worstCode].exit;
        } finally {
          await app.close();
        }
      });
    });
}
