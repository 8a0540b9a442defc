import type Database from 'better-sqlite3';
import type { ReviewItem } from '../../identity/index.js';
import type { Store } from '../../store/index.js';

/**
 * Up to `limit` items of the identity review queue by record id, after the record `after` (from
 * the first when undefined), read from `identity_reviews` past the cursor with a LIMIT, not by
 * restoring the resolver from every record. Each item is as the restored resolver's queue has it
 * (`restoreResolver`): its person and candidates named as they are now (an id merged since is
 * followed to its survivor), candidates that hold no record left out. `store` is asked for the
 * decisions (which waits for a batch in flight); `db` is a connection to the store's file.
 *
 * @example
 * await reviewPage(app.store, ctx.db, undefined, 101) // the first 101 items
 */
export async function reviewPage(
  store: Store,
  db: Database.Database,
  after: string | undefined,
  limit: number,
): Promise<ReviewItem[]> {
  const alias = new Map<string, string>();
  for (const text of await store.identityDecisions()) {
    const d = JSON.parse(text) as { kind: string; absorbed?: string; survivor?: string };
    if (d.kind === 'merge') alias.set(d.absorbed as string, d.survivor as string);
  }
  const current = (s: string): string => {
    let x = s;
    for (let i = 0; i < 1000 && alias.has(x); i++) x = alias.get(x) as string;
    return x;
  };
  const held = db.prepare('SELECT 1 FROM identity_records WHERE subject = ? LIMIT 1').pluck();
  const page = db.prepare(
    `SELECT item FROM identity_reviews ${after === undefined ? '' : 'WHERE record_id > ? '}ORDER BY record_id LIMIT ?`,
  );
  // One snapshot: the items and whether their candidates hold a record.
  return db.transaction(() => {
    const known = new Map<string, boolean>();
    const holds = (s: string): boolean => {
      const k = known.get(s) ?? held.get(s) !== undefined;
      known.set(s, k);
      return k;
    };
    const texts = page.pluck().all(...(after === undefined ? [limit] : [after, limit])) as string[];
    return texts.map((text) => {
      const item = JSON.parse(text) as ReviewItem;
      return {
        ...item,
        subjectId: current(item.subjectId),
        candidates: item.candidates
          .map((c) => ({ ...c, subjectId: current(c.subjectId) }))
          .filter((c) => holds(c.subjectId)),
      };
    });
  })();
}
