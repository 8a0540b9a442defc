import type { Command } from 'commander';
import { rebuildCurrent } from '../../ingest/rebuild.js';
import { openApp } from '../../open-app.js';
import { auditWrite } from '../cli-audit.js';
import { dbPath, printJson, withDb } from '../options.js';
import { warnWithheld } from '../withheld-warning.js';
import { claimWriter } from '../writer-lock.js';

/** `credence rebuild [--db PATH]`: re-derives consents, ledgers and cached scores from the facts. */
export function registerRebuild(program: Command): void {
  withDb(program.command('rebuild').description('Re-derive ledgers and cached scores from the stored facts'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      // One writer at a time: an ingest, import or purge beside it would be lost from the
      // ledgers re-derived from facts read before it, or counted twice.
      let release: (() => void) | undefined;
      try {
        release = claimWriter(app.dbPath, 'rebuild');
        warnWithheld(app.programs);
        const started = performance.now();
        // Under the versions the file holds when it ends (a `program load` beside it starts it again).
        const r = await rebuildCurrent(app.store);
        const seconds = Math.round(performance.now() - started) / 1000;
        // Everyone's ledgers and scores were rewritten (from their facts): one entry, with counts.
        auditWrite(
          dbPath(opts),
          { action: 'derived.rebuild', detail: { ...r } },
          'ledgers and cached scores were re-derived',
        );
        if (opts.json) printJson({ ...r, seconds });
        else {
          process.stdout.write(
            `rebuilt ${r.people} people: ${r.ledgerRows} ledger lines, ${r.scores} cached scores, ${r.consents} consents in ${seconds}s\n`,
          );
        }
      } finally {
        try {
          await app.close();
        } finally {
          release?.();
        }
      }
    });
}
