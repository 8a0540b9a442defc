import type Database from 'better-sqlite3';
import type { AuditEntry, AuditLog } from '../../audit/index.js';

/** One way the dispute tables and the audit log disagree. */
export interface DisputeLogProblem {
  /** The dispute id. */
  readonly dispute: string;
  /** The audit entry concerned, when the problem is an entry's. */
  readonly seq?: number;
  readonly reason: string;
}

export interface DisputeLogReport {
  readonly ok: boolean;
  /** Disputes held (of facts and of links). */
  readonly disputes: number;
  /** The first problems found (up to 100). */
  readonly problems: readonly DisputeLogProblem[];
}

const MAX_PROBLEMS = 100;

interface Row {
  id: string;
  status: string;
  opened_at: number;
  resolved_at: number | null;
}

/**
 * Holds the dispute tables (`api_disputes`, `api_link_disputes`), which live outside the hash
 * chain, to the chain's record of them: every dispute was opened with a `dispute.open` entry and
 * closed with a `dispute.resolve` (its outcome) or `dispute.withdraw` entry, and every such entry
 * names a dispute that is there, in the state it says. So a dispute deleted from the file (gone
 * from the person's list and from the desk), closed or reopened by hand, or answered otherwise than
 * logged, is named, where verifying the chain alone passes.
 *
 * Rows are read first, then the entries: a dispute opened or closed while this runs has its entry
 * appended after its row, so an entry later than the newest one read is not yet required.
 *
 * @example
 * const r = await checkDisputesAgainstLog(db, audit) // { ok: true, disputes: 12, problems: [] }
 */
export async function checkDisputesAgainstLog(
  db: Database.Database,
  log: AuditLog,
): Promise<DisputeLogReport> {
  const rows = new Map<string, Row>();
  for (const table of ['api_disputes', 'api_link_disputes']) {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!has) continue;
    for (const r of db.prepare(`SELECT id, status, opened_at, resolved_at FROM ${table}`).all() as Row[])
      rows.set(r.id, r);
  }
  const head = await log.head();
  const entries = await log.query({ actions: ['dispute.open', 'dispute.resolve', 'dispute.withdraw'] });
  // The newest entry of the whole log, read after the rows: what was written after it may still
  // be on its way to the log.
  const last = head.seq > 0 ? (await log.query({ afterSeq: head.seq - 1, limit: 1 }))[0] : undefined;
  const lastAt = last?.at ?? Number.NEGATIVE_INFINITY;
  const problems: DisputeLogProblem[] = [];
  const add = (p: DisputeLogProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const opened = new Set<string>();
  const closed = new Map<string, string>();
  for (const e of entries) {
    const id = disputeOf(e);
    if (id === undefined) continue;
    const row = rows.get(id);
    if (e.action === 'dispute.open') {
      opened.add(id);
      if (!row)
        add({ dispute: id, seq: e.seq, reason: `entry ${e.seq} opened it, but no such dispute is held` });
      continue;
    }
    const outcome = e.action === 'dispute.withdraw' ? 'withdrawn' : outcomeOf(e);
    closed.set(id, outcome ?? '?');
    if (!row)
      add({
        dispute: id,
        seq: e.seq,
        reason: `entry ${e.seq} closed it (${outcome}), but no such dispute is held`,
      });
    else if (row.status !== outcome)
      add({
        dispute: id,
        seq: e.seq,
        reason: `entry ${e.seq} closed it as ${outcome}, but it is held as ${row.status}`,
      });
  }
  for (const [id, row] of rows) {
    if (!opened.has(id) && row.opened_at <= lastAt)
      add({ dispute: id, reason: `held (${row.status}), but no dispute.open entry records its opening` });
    if (row.status !== 'open' && !closed.has(id) && (row.resolved_at ?? row.opened_at) <= lastAt)
      add({ dispute: id, reason: `held as ${row.status}, but no entry records that it was closed` });
  }
  return { ok: problems.length === 0, disputes: rows.size, problems };
}

function detailOf(e: AuditEntry): Record<string, unknown> {
  try {
    const d = JSON.parse(e.detail) as unknown;
    return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function disputeOf(e: AuditEntry): string | undefined {
  const id = detailOf(e).dispute;
  return typeof id === 'string' ? id : undefined;
}

function outcomeOf(e: AuditEntry): string | undefined {
  const o = detailOf(e).outcome;
  return typeof o === 'string' ? o : undefined;
}
