import type { Command } from 'commander';
import { errorCatalogue } from '../../core/errors/index.js';
import { openApp } from '../../open-app.js';
import { runIngest, summaryText } from '../ingest-run.js';
import { dbPath, withDb } from '../options.js';

interface IngestOpts {
  db?: string;
  rejects?: string;
  json?: boolean;
  batchSize: string;
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
    .action(async (files: string[], opts: IngestOpts) => {
      const app = await openApp(dbPath(opts));
      try {
        const s = await runIngest(app, {
          inputs: files.length > 0 ? files : ['-'],
          batchSize: Math.max(1, Number(opts.batchSize) || 5000),
          ...(opts.rejects ? { rejects: opts.rejects } : {}),
        });
        const { firstCode, ...summary } = s;
        if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else process.stdout.write(summaryText(s));
        if (s.interrupted) process.exitCode = 130;
        else if (firstCode) process.exitCode = errorCatalogue[firstCode].exit;
      } finally {
        await app.close();
      }
    });
}
