import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { compileRulebook } from '../../core/rulebook/index.js';
import { ProgramSet } from '../program-set.js';

// What the order tests (source-order-gen, line-order-gen) share: both example programs, and the
// partition of a database's facts into people, which is what must not depend on arrival order.

/** Both example programs' rulebooks as written, and compiled. */
export const exampleYamls = ['marketplace', 'city-civic'].map((p) =>
  readFileSync(new URL(`../../../examples/programs/${p}.yaml`, import.meta.url), 'utf8'),
);
export const examplePrograms = new ProgramSet(
  exampleYamls.map((y, i) => compileRulebook(y, { file: `${i}.yaml` })),
);

/** The facts each person holds (fact keys), sorted: person ids depend on arrival order. */
export function peopleOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT group_concat(source || '/' || id, ',') AS ids FROM (SELECT * FROM facts ORDER BY source, id) GROUP BY subject",
      )
      .all() as { ids: string }[];
    return rows.map((r) => r.ids).sort();
  } finally {
    db.close();
  }
}
