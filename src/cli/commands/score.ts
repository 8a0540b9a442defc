import type { Command } from 'commander';
import { scorePerson } from '../../core/scoring/index.js';
import { openApp } from '../../open-app.js';
import { auditRead, scoreRead } from '../cli-audit.js';
import { dbPath, instantOption, printJson, subjectArgument, withDb } from '../options.js';
import { personQuery } from '../person-query.js';
import { projectionNote } from '../projection.js';
import { scoreJson } from '../render/score-json.js';
import { scoreText } from '../render/score-text.js';

/**
 * `credence score SUBJECT --program ID [--as-of ISO] [--json]`, computed from the stored facts; an
 * as-of later than now is answered labelled as a projection (`projectionNote`).
 */
export function registerScore(program: Command): void {
  withDb(
    program
      .command('score <subject>')
      .description("A person's score in a program (subject id or identifier)"),
  )
    .requiredOption('--program <id>', 'program id')
    .option('--as-of <iso>', 'score as of this instant (default: now)')
    .option('--json', 'print one JSON object')
    .action(
      async (subject: string, opts: { db?: string; program: string; asOf?: string; json?: boolean }) => {
        subjectArgument(subject);
        const now = Date.now();
        const asOf = instantOption(opts.asOf, '--as-of');
        const note = projectionNote(opts.asOf, asOf, now);
        const app = await openApp(dbPath(opts));
        try {
          const q = await personQuery(app, subject, opts.program, asOf);
          const outcome = scorePerson(q.rb, q.facts, q.asOf, q.consent);
          // Logged before it is shown, with what was shown, as the API logs a score query.
          auditRead(dbPath(opts), [scoreRead(q.subject, q.asOf, outcome, note !== undefined)]);
          if (opts.json)
            printJson({ ...scoreJson(q.subject, outcome), ...(note ? { projection: true } : {}) });
          else process.stdout.write(`${note ? `${note}\n` : ''}${scoreText(q.subject, outcome)}`);
        } finally {
          await app.close();
        }
      },
    );
}
