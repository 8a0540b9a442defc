import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import { loadEntry, scoreRow } from '../../ingest/index.js';
import { toLedgerRow } from '../../ingest/pipeline.js';
import { MAX_CLOCK_SKEW_MS, retentionAt } from '../../ingest/validate.js';
import { type App, openApp } from '../../open-app.js';
import {
  type FlagPairing,
  purgeExpiredFacts,
  type RetentionCutoff,
} from '../../store/sqlite/sqlite-purge.js';
import type { LedgerRow, PersonProgram, ScoreRow } from '../../store/store.js';
import { auditWrite } from '../cli-audit.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';
import { claimWriter } from '../writer-lock.js';

/**
 * Each event type's retention cutoff at `asOf`, by the rulebook version in force then (as scoring
 * reads it: a score as of an instant is what it would be had purge run then); a program with no
 * version in force yet by its newest. A type declared by several programs is kept as long as the
 * longest of their `retain` periods; a type any program keeps without a period is never purged. A
 * version loaded for later with a shorter period deletes nothing before it takes effect. The rule
 * is `retentionAt`, which ingest refuses by too: it never stores what a purge would delete.
 */
export function retentionCutoffs(app: App, asOf: number): RetentionCutoff[] {
  const out: RetentionCutoff[] = [];
  for (const [type, r] of retentionAt(app.programs, asOf)) out.push({ type, before: asOf - r.retainMs });
  return out.sort((a, b) => (a.type < b.type ? -1 : 1));
}

/**
 * Each flag's listing and removal types with the fields that pair them, over the loaded programs:
 * a purge deleting a listing deletes the removals of that entry with it.
 */
export function flagPairings(app: App): FlagPairing[] {
  const out = new Map<string, FlagPairing>();
  for (const rb of app.programs.active)
    for (const f of rb.flags)
      if (f.clear !== undefined) {
        const p = { set: f.set, clear: f.clear, key: f.key ?? [] };
        out.set(JSON.stringify(p), p);
      }
  return [...out.values()];
}

/** Derives the ledgers and cached scores of these people again from what is left of their facts. */
async function rescore(app: App, subjects: readonly string[]): Promise<void> {
  const programs = app.programs.active;
  for (let i = 0; i < subjects.length; i += 500) {
    const page = subjects.slice(i, i + 500);
    const facts = await app.store.personFacts(page);
    const consents = await app.store.personConsents(page);
    const clearLedgers: PersonProgram[] = [];
    const ledgerUpserts: LedgerRow[] = [];
    const scores: ScoreRow[] = [];
    for (const subject of page) {
      const entry = loadEntry(subject, facts.get(subject) ?? [], consents.get(subject) ?? [], programs);
      for (const rb of programs) clearLedgers.push({ subject, program: rb.program });
      for (const [program, state] of entry.states) {
        if (!state) continue;
        for (const e of state.ledger) ledgerUpserts.push(toLedgerRow(subject, program, e));
        const row = scoreRow(subject, state, entry);
        if (row) scores.push(row);
      }
    }
    await app.store.commit({ clearLedgers, ledgerUpserts, scores });
  }
}

/**
 * `credence purge [--as-of ISO] [--dry-run] [--json]`: deletes every fact older than its event
 * type's `retain` period, with its retractions and ledger lines, forgets the identity of every
 * person left with no fact, derives the touched people's ledgers and scores again, and says how
 * many of each went.
 */
export function registerPurge(program: Command): void {
  withDb(program.command('purge').description("Delete facts past their event type's retention period"))
    .option('--as-of <iso>', 'purge as of this instant (default: now)')
    .option('--dry-run', 'count what would be deleted; delete nothing')
    .option(
      '--allow-future',
      'delete as of an --as-of later than now (facts whose retention is not over yet; irreversible)',
    )
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        db?: string;
        asOf?: string;
        dryRun?: boolean;
        allowFuture?: boolean;
        json?: boolean;
      }) => {
        const asOf = instantOption(opts.asOf, '--as-of');
        // A purge as of a day to come deletes what retention still keeps, and cannot be undone: a
        // mistyped year ("2062") would empty the database. A dry run may look ahead; a real one says so.
        if (asOf > Date.now() + MAX_CLOCK_SKEW_MS && !opts.dryRun && !opts.allowFuture) {
          throw new CredenceError(
            'CREDENCE_E_USAGE',
            `--as-of ${opts.asOf} is later than now: that purge would delete facts whose retention is not over yet, irreversibly; count it with --dry-run, or pass --allow-future to do it (a rehearsal on a copy of the database)`,
            { field: '--as-of' },
          );
        }
        const app = await openApp(dbPath(opts));
        // One writer at a time (a dry run writes nothing): a rebuild beside it would put back the
        // ledger lines of deleted facts, an ingest's new facts be missed by its rescoring.
        let release: (() => void) | undefined;
        try {
          if (!opts.dryRun) release = claimWriter(app.dbPath, 'purge');
          const cutoffs = retentionCutoffs(app, asOf);
          const r = purgeExpiredFacts(app.dbPath, cutoffs, opts.dryRun === true, flagPairings(app));
          // Logged once the deletion is committed, before the rescoring (derived from what is left):
          // counts, not the people (a dry run deletes nothing and logs nothing).
          if (!opts.dryRun) {
            auditWrite(
              app.dbPath,
              {
                action: 'facts.purge',
                detail: {
                  asOf,
                  facts: r.facts,
                  byType: r.byType,
                  retractions: r.retractions,
                  ledgerRows: r.ledgerRows,
                  people: r.subjects.length,
                  forgotten: r.forgotten,
                },
              },
              `${r.facts} facts past retention were deleted`,
            );
            await rescore(app, r.subjects);
          }
          const out = {
            asOf: formatInstant(asOf),
            dryRun: opts.dryRun === true,
            facts: r.facts,
            byType: r.byType,
            retractions: r.retractions,
            ledgerRows: r.ledgerRows,
            people: r.subjects.length,
            forgotten: r.forgotten,
          };
          if (opts.json) printJson(out);
          else {
            const types = Object.entries(r.byType)
              .map(([t, n]) => `${t} ${n}`)
              .join(', ');
            const verb = opts.dryRun ? 'would delete' : 'deleted';
            process.stdout.write(
              `${verb} ${r.facts} facts past retention${types ? ` (${types})` : ''}` +
                (opts.dryRun ? '' : `, ${r.retractions} retractions and ${r.ledgerRows} ledger lines`) +
                `; ${r.subjects.length} people ${opts.dryRun ? 'affected' : 'rescored'}` +
                `; ${opts.dryRun ? 'would forget' : 'forgot'} ${r.forgotten.people} people with no fact left` +
                ` (${r.forgotten.identityRecords} identity records, ${r.forgotten.identifiers} identifiers,` +
                ` ${r.forgotten.personTokens} person tokens ${opts.dryRun ? 'to revoke' : 'revoked'})\n`,
            );
          }
        } finally {
          try {
            await app.close();
          } finally {
            release?.();
          }
        }
      },
    );
}
