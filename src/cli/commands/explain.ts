import type { Command } from 'commander';
import { explainPerson } from '../../core/scoring/index.js';
import { openApp } from '../../open-app.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';
import { personQuery } from '../person-query.js';
import { explainJson, explainText } from '../render/explain-text.js';

/** `credence explain SUBJECT --program ID [--as-of ISO] [--json]`: the full ledger and counterfactuals. */
export function registerExplain(program: Command): void {
  withDb(program.command('explain <subject>').description('Every point behind a score, with counterfactuals'))
    .requiredOption('--program <id>', 'program id')
    .option('--as-of <iso>', 'explain as of this instant (default: now)')
    .option('--json', 'print one JSON object')
    .action(
      async (subject: string, opts: { db?: string; program: string; asOf?: string; json?: boolean }) => {
        const asOf = instantOption(opts.asOf, '--as-of');
        const app = await openApp(dbPath(opts));
        try {
          const q = await personQuery(app, subject, opts.program, asOf);
          const x = explainPerson(q.rb, q.facts, q.asOf, q.consent);
          if (opts.json) printJson(explainJson(q.subject, x));
          else process.stdout.write(explainText(q.subject, x));
        } finally {
          await app.close();
        }
      },
    );
}
