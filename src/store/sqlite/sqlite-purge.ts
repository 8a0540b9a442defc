import Database from 'better-sqlite3';
import { sqliteNativeBinding } from './native-binding.js';

/** Facts of `type` that occurred before `before` (epoch ms) are past retention. */
export interface RetentionCutoff {
  readonly type: string;
  readonly before: number;
}

export interface PurgeCount {
  /** Facts deleted, by event type. */
  readonly byType: Readonly<Record<string, number>>;
  readonly facts: number;
  /** Retractions of deleted facts, deleted with them. */
  readonly retractions: number;
  readonly ledgerRows: number;
  /** People whose facts were deleted: their ledgers and scores are to be derived again. */
  readonly subjects: readonly string[];
}

/**
 * Deletes, in one transaction, every fact past its type's retention, the retractions that name
 * them and their ledger lines. With `dryRun`, counts only. Runs on its own connection to the file.
 *
 * Wanted on the store port as `purgeFacts?(cutoffs, dryRun): Promise<PurgeCount>`.
 *
 * @example
 * purgeExpiredFacts('credence.db', [{ type: 'payment.completed', before: Date.parse('2023-07-01') }])
 */
export function purgeExpiredFacts(
  dbPath: string,
  cutoffs: readonly RetentionCutoff[],
  dryRun = false,
): PurgeCount {
  const db = new Database(dbPath, { fileMustExist: true, nativeBinding: sqliteNativeBinding() });
  try {
    db.pragma('busy_timeout = 10000');
    const select = db.prepare(
      'SELECT source, id, subject FROM facts WHERE type = ? AND at < ? AND retracts IS NULL',
    );
    const delFact = db.prepare('DELETE FROM facts WHERE source = ? AND id = ?');
    const delRetractions = db.prepare('DELETE FROM facts WHERE source = ? AND retracts = ?');
    const delLedger = db.prepare('DELETE FROM ledger WHERE subject = ? AND fact_key = ?');
    // A dry run counts what the deletes would take, so it reports the same numbers.
    const countRetractions = db
      .prepare('SELECT count(*) FROM facts WHERE source = ? AND retracts = ?')
      .pluck();
    const countLedger = db.prepare('SELECT count(*) FROM ledger WHERE subject = ? AND fact_key = ?').pluck();
    const run = db.transaction(() => {
      const byType: Record<string, number> = {};
      const subjects = new Set<string>();
      let facts = 0;
      let retractions = 0;
      let ledgerRows = 0;
      for (const c of cutoffs) {
        const rows = select.all(c.type, c.before) as { source: string; id: string; subject: string }[];
        if (rows.length === 0) continue;
        byType[c.type] = rows.length;
        facts += rows.length;
        for (const r of rows) {
          subjects.add(r.subject);
          if (dryRun) {
            retractions += countRetractions.get(r.source, r.id) as number;
            ledgerRows += countLedger.get(r.subject, `${r.source}/${r.id}`) as number;
            continue;
          }
          delFact.run(r.source, r.id);
          retractions += delRetractions.run(r.source, r.id).changes;
          ledgerRows += delLedger.run(r.subject, `${r.source}/${r.id}`).changes;
        }
      }
      return { byType, facts, retractions, ledgerRows, subjects: [...subjects].sort() };
    });
    return run();
  } finally {
    db.close();
  }
}
