import type { Command } from 'commander';
import { createIngest, findSubject, openApp, requireProgram } from '../../app.js';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import type { Rejection } from '../../ingest/index.js';
import { enrolledAt } from '../../ingest/program-set.js';
import type { ConsentRow } from '../../store/store.js';
import { auditRead, auditWrite } from '../cli-audit.js';
import { dbPath, instantOption, printJson, subjectArgument, withDb } from '../options.js';

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
      subjectArgument(subjectText);
      if (!!opts.optOut === !!opts.optIn) {
        throw new CredenceError('CREDENCE_E_USAGE', 'give exactly one of --opt-out and --opt-in', {
          field: '--opt-out',
        });
      }
      const at = instantOption(opts.at, '--at');
      const action = opts.optOut ? 'opt-out' : 'opt-in';
      const app = await openApp(dbPath(opts));
      try {
        // Not compiled: a person opts out of a program withheld for a refused version all the same.
        if (!app.programs.ids.includes(opts.program)) requireProgram(app, opts.program);
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
        // Whether the person was in the program when the opt-out came (this change itself aside, if
        // it is recorded already): one of an opt-in program they never joined deletes nothing.
        const wasEnrolled =
          action === 'opt-out'
            ? enrolledAt(
                app.programs,
                opts.program,
                ((await app.store.personConsents([subject])).get(subject) ?? [])
                  .filter((c) => c.program === opts.program && c.factKey !== `${fact.source}/${fact.id}`)
                  .map((r) => ({ action: r.action, at: r.at })),
                at,
              )
            : undefined;
        const pipeline = createIngest(app);
        let refused: Rejection | undefined;
        await pipeline.ingestBatch([{ file: '<consent>', line: 1, text: JSON.stringify(fact) }], {
          rejected: (r) => {
            refused = r;
          },
        });
        if (refused) {
          // The fact's occurredAt is this command's --at: named as the operator typed it, with the
          // pipeline's own code (an opt-in dated ahead is CREDENCE_E_FACT_IN_FUTURE, as at ingest).
          // A refusal records and logs nothing, so it names the person as the operator named them:
          // the id an identifier resolved to would tell who holds it, without a trace in the log.
          const field = refused.field === 'occurredAt' ? '--at' : refused.field;
          const named = subjectText === subject ? subject : `"${subjectText}"`;
          throw new CredenceError(
            'CREDENCE_E_CONSENT_INVALID',
            `${named}'s ${action} of ${opts.program} was not recorded`,
            {},
            [
              {
                code: refused.code,
                reason: refused.reason.split(subject).join(named),
                ...(field ? { field } : {}),
              },
            ],
          );
        }
        const recorded = pipeline.counts.accepted === 1;
        // An opt-out in effect at or after this opt-in's date (one given later, or one dated ahead,
        // in effect from when it was received: docs/policy.md, "Facts dated ahead") holds until an
        // opt-in after it: an opt-in dated back before it (--at) is stored but
        // changes nothing now, and saying "opted in" would tell the operator the opposite.
        const heldBy =
          action === 'opt-in'
            ? ((await app.store.personConsents([subject])).get(subject) ?? [])
                .filter((c) => c.program === opts.program && c.action === 'opt-out' && c.at >= at)
                .reduce<ConsentRow | undefined>((a, c) => (a && a.at >= c.at ? a : c), undefined)
            : undefined;
        const held = heldBy ? { optOut: formatInstant(heldBy.at), fact: heldBy.factKey } : undefined;
        // An opt-out dated ahead is in effect from when it was received, not from its date
        // (docs/policy.md, "Facts dated ahead"): its consent row says from when.
        const row =
          action === 'opt-out'
            ? ((await app.store.personConsents([subject])).get(subject) ?? []).find(
                (c) => c.factKey === `${fact.source}/${fact.id}`,
              )
            : undefined;
        const effective = row && row.at !== at ? formatInstant(row.at) : undefined;
        const detail = {
          program: opts.program,
          action,
          at: iso,
          fact: `${fact.source}/${fact.id}`,
          ...(held ? { heldBy: held } : {}),
        };
        // A consent change is a write of the person's file: logged as the API logs its own
        // (`consent.change`), once, when it was recorded. One already recorded changes nothing,
        // yet the answer shows the person's consent (that this change is in their file, and a
        // later opt-out that holds): a read, logged before it is shown.
        if (recorded)
          auditWrite(
            dbPath(opts),
            { action: 'consent.change', subject, detail },
            `${subject}'s ${action} of ${opts.program} was recorded`,
          );
        else auditRead(dbPath(opts), [{ action: 'consent.read', subject, detail: { ...detail, recorded } }]);
        if (opts.json)
          printJson({
            subject,
            program: opts.program,
            action,
            at: iso,
            recorded,
            ...(effective ? { inEffectFrom: effective } : {}),
            ...(held ? { heldBy: held } : {}),
            ...(wasEnrolled !== undefined ? { wasEnrolled } : {}),
          });
        else if (held) {
          process.stdout.write(
            `${subject}'s opt-in to ${opts.program} at ${iso} is ${recorded ? 'recorded' : 'already recorded'}, ` +
              `but does not hold: an opt-out in effect since ${held.optOut} (${held.fact}) is later, so ${subject} stays ` +
              `opted out until an opt-in after that instant (docs/policy.md, "Facts dated ahead")\n`,
          );
        } else {
          const what = action === 'opt-out' ? 'opted out of' : 'opted in to';
          const when = effective
            ? ` (dated ${iso}, in effect from ${effective}, when it was received: an opt-out dated ahead takes effect at once)`
            : ` at ${iso}`;
          process.stdout.write(
            `${subject} ${what} ${opts.program}${when}${recorded ? '' : ' (already recorded)'}` +
              `${action === 'opt-in' ? '' : wasEnrolled === false ? `; ${subject} was not in ${opts.program} (not enrolled, or opted out already): nothing was scored there and no ledger deleted, and none will be computed` : '; ledger and cached score deleted, no score will be computed'}\n`,
          );
        }
      } finally {
        await app.close();
      }
    });
}
