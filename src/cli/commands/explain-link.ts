import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { formatResolution, type Resolution, Resolver, trainModel } from '../../identity/index.js';
import { nonEmptyDb } from '../options.js';
import { readPersonFiles } from './resolve.js';

/**
 * Prints a record's link to its person: for people (each field's outcome and weight) or as one
 * JSON object. The store-backed command passes the stored resolution here.
 */
export function printLinkExplanation(res: Resolution, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(res)}\n` : formatResolution(res));
}

/**
 * `credence explain-link RECORD_OR_FACT --records FILE.csv... [--json]`: why a record belongs
 * to its person. With `--records` it resolves the given files and explains one of their records
 * (the operator's own files: no stored person is read, nothing is logged); `lookup` lets the
 * composition root answer from the store instead (a fact key `source/id`), and it logs that read
 * under the person before it returns (`explainLinkFromDb`).
 */
export function registerExplainLink(
  program: Command,
  lookup?: (id: string, opts: { db?: string }) => Promise<Resolution | undefined>,
): void {
  program
    .command('explain-link')
    .description("Explain a record's or fact's link to its person: each field's evidence and weight")
    .argument('<id>', 'record_id, or a fact as source/id')
    .option('--records <files...>', 'person-record CSV files to resolve and explain from')
    .option('--db <path>', 'database (default $CREDENCE_DB, else ./credence.db)')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { records?: string[]; db?: string; json?: boolean }) => {
      let res: Resolution | undefined;
      if (opts.records && opts.records.length > 0) {
        const records = readPersonFiles(opts.records);
        const model = trainModel(records);
        const resolver = new Resolver({ model });
        for (const r of records) resolver.resolve(r);
        res = resolver.explain(id);
      } else if (lookup) {
        res = await lookup(id, opts.db === undefined ? {} : { db: nonEmptyDb(opts.db) });
      } else {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          'explain-link needs --records FILE.csv (or a store to read from)',
        );
      }
      if (!res) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no record or fact ${id}`, { field: 'id' });
      printLinkExplanation(res, opts.json === true);
    });
}
