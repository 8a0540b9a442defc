import type Database from 'better-sqlite3';
import type { ReviewItem } from '../../identity/index.js';
import type { Store } from '../../store/index.js';
import { MERGE_OF } from '../../store/sqlite/sqlite-identity.js';

/**
 * Up to `limit` items of the identity review queue by record id, after the record `after` (from
 * the first when undefined), read from `identity_reviews` past the cursor with a LIMIT, not by
 * restoring the resolver from every record. Each item is as the restored resolver's queue has it
 * (`restoreResolver`): its person and candidates named as they are now (an id merged since is
 * followed to its survivor), candidates that hold no record left out. Only what the page names is
 * read: each of its ids' merges through `identity_decisions_absorbed` (`MERGE_OF`), one step at a
 * time, and whether each holds a record. `store` is waited for (a batch in flight may hold
 * reviews and merges); `db` is a connection to the store's file.
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
  return readItems(
    store,
    db,
    `SELECT item FROM identity_reviews ${after === undefined ? '' : 'WHERE record_id > ? '}ORDER BY record_id LIMIT ?`,
    after === undefined ? [limit] : [after, limit],
  );
}

/**
 * The item of the review open on `recordId`, named as `reviewPage` names it (as the restored
 * queue has it), or undefined: what an operator's verdict is checked against, without the queue.
 *
 * @example
 * const item = await reviewItem(app.store, ctx.db, 'R3f…');
 */
export async function reviewItem(
  store: Store,
  db: Database.Database,
  recordId: string,
): Promise<ReviewItem | undefined> {
  const [item] = await readItems(store, db, 'SELECT item FROM identity_reviews WHERE record_id = ?', [
    recordId,
  ]);
  return item;
}

/** The review items `sql` reads, with their persons named as they are now. */
async function readItems(
  store: Store,
  db: Database.Database,
  sql: string,
  args: unknown[],
): Promise<ReviewItem[]> {
  await store.flush?.();
  const mergeOf = db.prepare(MERGE_OF).pluck();
  const held = db.prepare('SELECT 1 FROM identity_records WHERE subject = ? LIMIT 1').pluck();
  const page = db.prepare(sql).pluck();
  // One snapshot: the items, the merges of the persons they name, and who holds a record.
  return db.transaction(() => {
    const survivors = new Map<string, string | undefined>();
    const survivorOf = (s: string): string | undefined => {
      if (!survivors.has(s)) survivors.set(s, mergeOf.get(s) as string | undefined);
      return survivors.get(s);
    };
    // As the restored engine follows its aliases: the last merge of each id, at most 1,000 steps.
    const current = (s: string): string => {
      let x = s;
      for (let i = 0; i < 1000; i++) {
        const next = survivorOf(x);
        if (next === undefined) break;
        x = next;
      }
      return x;
    };
    const known = new Map<string, boolean>();
    const holds = (s: string): boolean => {
      const k = known.get(s) ?? held.get(s) !== undefined;
      known.set(s, k);
      return k;
    };
    const texts = page.all(...args) as string[];
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
