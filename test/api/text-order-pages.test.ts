import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byText } from '../../src/api/schemas/page.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A cursor is compared by SQLite (`source > ?`, BINARY: UTF-8 bytes) and by JS (the page's names
// merged and cut). JS's `<` compares UTF-16 code units, where U+E000–U+FFFF sort after every
// character past U+FFFF (surrogates are 0xD800–0xDFFF); in UTF-8 they sort before. Names mixing the
// two were listed out of SQLite's order, and a page's `next` skipped or repeated rows.

/** Characters on both sides of the surrogate range, and ASCII. */
const char = fc.constantFrom(
  'a',
  'b',
  'Z',
  '\u00e9',
  '\ud7ff',
  '\ue000',
  '\uf8ff',
  '\uffee',
  '😀',
  '𐀀',
  '\u{10ffff}',
);
const text = fc.array(char, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));

describe('byText is SQLite BINARY order', () => {
  it('sorts any two strings as SQLite compares them', () => {
    const db = new Database(':memory:');
    const cmp = db.prepare('SELECT (? > ?) - (? < ?)').pluck();
    try {
      fc.assert(
        fc.property(text, text, (a, b) => {
          expect(Math.sign(byText(a, b))).toBe(cmp.get(a, b, a, b));
        }),
        { numRuns: 2000 },
      );
    } finally {
      db.close();
    }
  });
});

describe('GET /v1/sources with names on both sides of U+FFFF', () => {
  let w: ApiWorld;
  let db: Database.Database;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
    db = new Database(w.db);
  });
  afterAll(async () => {
    db.close();
    await w.dispose();
  });

  it('pages through every source exactly once, in SQLite order', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(text, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (names, limit) => {
          for (const source of names)
            await w.api.ctx.auth.issue({ role: 'furnisher', name: `F ${n++}`, source });
          const oracle = db
            .prepare(
              `SELECT source FROM api_keys WHERE role = 'furnisher' AND source IS NOT NULL
             UNION SELECT source FROM facts ORDER BY source`,
            )
            .pluck()
            .all() as string[];
          const seen: string[] = [];
          let after: string | undefined;
          for (let i = 0; i < 1000; i++) {
            const url = `/v1/sources?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
            const r = await w.call('GET', url, w.keys.operator);
            expect(r.status, JSON.stringify(r.body)).toBe(200);
            seen.push(...r.body.sources.map((s: { source: string }) => s.source));
            if (r.body.next === undefined) break;
            after = r.body.next;
          }
          expect(seen).toEqual(oracle);
        },
      ),
      { numRuns: 12 },
    );
  });
});
