import type Database from 'better-sqlite3';
import { byText } from '../schemas/page.js';
import { DISPUTE_STATUSES } from '../sqlite/api-schema.js';
import { type Dispute, toDispute } from './dispute-service.js';
import { type AnyDispute, toLinkDispute } from './link-dispute-service.js';

/** Where a dispute stands in the desk's order: overdue (at the desk's instant) first, deadline, id. */
export interface DeskPlace {
  readonly overdue: boolean;
  readonly dueAt: number;
  readonly id: string;
}

/** Which disputes the desk lists: of one status, of one kind (facts or identity links). */
export interface DeskFilter {
  readonly status?: Dispute['status'] | undefined;
  readonly kind?: 'fact' | 'link' | undefined;
}

const TABLES = [
  { kind: 'fact', table: 'api_disputes' },
  { kind: 'link', table: 'api_link_disputes' },
] as const;

const tablesOf = (f: DeskFilter) => TABLES.filter((t) => f.kind === undefined || f.kind === t.kind);

/** One index range of a dispute table, in deadline order (`api_disputes_desk`). */
interface Arm {
  readonly overdue: boolean;
  readonly kind: 'fact' | 'link';
  readonly sql: string;
  readonly args: (string | number)[];
}

/**
 * The index ranges that hold the desk's rows past `after`, each read in (due_at, id) order: the
 * overdue ones (open, deadline before `at`), then per status the others (open ones whose deadline
 * is not past yet). Merged by (overdue first, due_at, id) they are the desk in its order.
 */
function arms(f: DeskFilter, at: number, after: DeskPlace | undefined, limit: number): Arm[] {
  const out: Arm[] = [];
  for (const { kind } of tablesOf(f)) {
    // `floor`: the open ones not overdue start at `at` (due_at >= at) before any cursor.
    const ranges: { overdue: boolean; status: string; floor?: boolean }[] = [];
    if (f.status === undefined || f.status === 'open') ranges.push({ overdue: true, status: 'open' });
    for (const s of DISPUTE_STATUSES)
      if (f.status === undefined || f.status === s)
        ranges.push({ overdue: false, status: s, ...(s === 'open' ? { floor: true } : {}) });
    for (const r of ranges) {
      // Every overdue row comes before every other: past a cursor among the others, none is left.
      if (after !== undefined && !after.overdue && r.overdue) continue;
      const where = ['status = ?'];
      const args: (string | number)[] = [r.status];
      if (r.overdue) {
        where.push('due_at < ?');
        args.push(at);
      }
      // One index range each: a cursor below the floor leaves the floor, one above it is the floor.
      const cursor = after !== undefined && after.overdue === r.overdue && !(r.floor && after.dueAt < at);
      if (r.floor && !cursor) {
        where.push('due_at >= ?');
        args.push(at);
      }
      if (cursor) {
        where.push('(due_at, id) > (?, ?)');
        args.push(after.dueAt, after.id);
      }
      out.push({ overdue: r.overdue, kind, sql: where.join(' AND '), args });
    }
  }
  return out.map((a) => ({
    ...a,
    sql: `SELECT * FROM ${a.kind === 'fact' ? 'api_disputes' : 'api_link_disputes'} WHERE ${a.sql} ORDER BY due_at, id LIMIT ?`,
    args: [...a.args, limit],
  }));
}

interface Head {
  readonly arm: Arm;
  readonly rows: IterableIterator<{ id: string; due_at: number }>;
  row: { id: string; due_at: number } | undefined;
}

/** Whether head `a`'s row comes before `b`'s in the desk's order. */
const before = (a: Head, b: Head): boolean => {
  const x = a.row as { id: string; due_at: number };
  const y = b.row as { id: string; due_at: number };
  if (a.arm.overdue !== b.arm.overdue) return a.arm.overdue;
  // Ids by SQLite's order (`byText`), which read each range.
  return x.due_at !== y.due_at ? x.due_at < y.due_at : byText(x.id, y.id) < 0;
};

/**
 * Up to `limit` disputes of the desk (both kinds, overdue first, then by deadline and id, overdue
 * said as of `at`) past `after`, read from SQLite a page at a time: each index range with
 * `LIMIT limit`, merged as they are stepped, so no more rows are read than the page needs (and
 * one per range ahead). The same rows, in the same order, as `listAllDisputes` filtered and cut
 * after `after`. With them, how many disputes of `f` are overdue at `now` (counted in the index,
 * not read); both in one snapshot.
 *
 * @example
 * readDesk(db, { status: 'open' }, now, now, undefined, 101) // { disputes: the first 101, overdue: 3 }
 */
export function readDesk(
  db: Database.Database,
  f: DeskFilter,
  at: number,
  now: number,
  after: DeskPlace | undefined,
  limit: number,
): { disputes: AnyDispute[]; overdue: number } {
  return db.transaction(() => {
    const heads: Head[] = arms(f, at, after, limit).map((arm) => {
      const rows = db.prepare(arm.sql).iterate(...arm.args) as Head['rows'];
      return { arm, rows, row: rows.next().value };
    });
    const disputes: AnyDispute[] = [];
    try {
      while (disputes.length < limit) {
        let first: Head | undefined;
        for (const h of heads)
          if (h.row !== undefined && (first === undefined || before(h, first))) first = h;
        if (first === undefined) break;
        const r = first.row as Parameters<typeof toDispute>[0] & Parameters<typeof toLinkDispute>[0];
        disputes.push(first.arm.kind === 'fact' ? toDispute(r, at) : toLinkDispute(r, at));
        first.row = first.rows.next().value;
      }
    } finally {
      for (const h of heads) h.rows.return?.();
    }
    return { disputes, overdue: overdueAt(db, f, now) };
  })();
}

/** How many disputes of `f` are open past their deadline at `now`, counted in `api_disputes_desk`. */
function overdueAt(db: Database.Database, f: DeskFilter, now: number): number {
  if (f.status !== undefined && f.status !== 'open') return 0;
  let n = 0;
  for (const { table } of tablesOf(f))
    n += db
      .prepare(`SELECT count(*) FROM ${table} WHERE status = 'open' AND due_at < ?`)
      .pluck()
      .get(now) as number;
  return n;
}
