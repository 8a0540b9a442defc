import type { Command } from 'commander';
import { createIngest, findSubject, openApp, requireProgram } from '../../app.js';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import { auditWrite } from '../cli-audit.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';

interface ConsentOpts {
  db?: string;
  program: string;
  optOut?: boolean;
  optIn?: boolean;
  at?: string;
  json?: boolean;
}

/**
 * `credence consent SUBJECT --program ID (--opt-out | --opt-in) [--at ISO]`: records the change
 * as a `credence.opt_out`/`credence.opt_in` fact through the ingest pipeline, so it is stored,
 * idempotent and applied like any other (an opt-out deletes the person's ledger in the program).
 */
export function registerConsent(program: Command): void {
  withDb(program.command('consent <subject>').description('Opt a person out of (or into) a program'))
    .requiredOption('--program <id>', 'program id')
    .option('--opt-out', 'leave the program: the ledger is deleted and no score is computed')
    .option('--opt-in', 'join (or re-join) the program')
    .option('--at <iso>', 'when the change happened (default: now)')
    .option('--json', 'print one JSON object')
    .action(async (subjectText: string, opts: ConsentOpts) => {
      if (!!opts.optOut === !!opts.optIn) {
        throw new CredenceError('CREDENCE_E_USAGE', 'give exactly one of --opt-out and --opt-in', {
          field: '--opt-out',
        });
      }
      const at = instantOption(opts.at, '--at');
      const action = opts.optOut ? 'opt-out' : 'opt-in';
      const app = await openApp(dbPath(opts));
      try {
        requireProgram(app, opts.program);
        const subject = await findSubject(app, subjectText);
        const iso = formatInstant(at);
        const fact = {
          id: `${action}-${opts.program}-${subject}-${at}`,
          source: 'credence',
          type: action === 'opt-out' ? 'credence.opt_out' : 'credence.opt_in',
          occurredAt: iso,
          subject: { subjectId: subject },
          data: { program: opts.program },
        };
        const pipeline = createIngest(app);
        let refused: string | undefined;
        await pipeline.ingestBatch([{ file: '<consent>', line: 1, text: JSON.stringify(fact) }], {
          rejected: (r) => {
            refused = r.reason;
          },
        });
        if (refused) throw new CredenceError('CREDENCE_E_CONSENT_INVALID', refused);
        const recorded = pipeline.counts.accepted === 1;
        // A consent change is a write of the person's file: logged as the API logs its own
        // (`consent.change`), once, when it was recorded.
        if (recorded)
          auditWrite(
            dbPath(opts),
            {
              action: 'consent.change',
              subject,
              detail: { program: opts.program, action, at: iso, fact: `${fact.source}/${fact.id}` },
            },
            `${subject}'s ${action} of ${opts.program} was recorded`,
          );
        if (opts.json) printJson({ subject, program: opts.program, action, at: iso, recorded });
        else {
          const what = action === 'opt-out' ? 'opted out of' : 'opted in to';
          process.stdout.write(
            `${subject} ${what} ${opts.program} at ${iso}${recorded ? '' : ' (already recorded)'}` +
              `${action === 'opt-out' ? '; ledger and cached score deleted, no score will be computed' : ''}\n`,
          );
        }
      } finally {
        await app.close();
      }
    });
}
