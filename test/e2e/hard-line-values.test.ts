import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// A rule that looks in free text for a word the furnisher sends in another field has no quoted
// string for the word lists to read: `fact.comment.contains(fact.tag)` loaded while
// `fact.comment.contains('protest')` was refused.
const rulebook = (when: string) => `program: notes
name: Notes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.noted: { category: commerce, fields: { comment: string, tag: string, amount: number } }
rules:
  - id: tagged
    on: order.noted
    when: ${JSON.stringify(when)}
    points: -10
    reason: { code: N1, text: "Order note" }
`;

const versions = (db: string): number => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM programs').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('credence program load refuses a rule whose search a value drives (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses a search, lookup, selection or comparison by a value at its line, naming the rule and why; a written word loads', () => {
    w = makeWorld();
    const before = versions(w.db);
    for (const [when, why] of [
      ['fact.comment.contains(fact.tag)', 'searches text for fact.tag, a value'],
      ["fact.amount > 0.0 && fact.comment.matches(fact.tag + '.*')", "searches text for fact.tag + '.*'"],
      ['fact.tag in dyn(fact.comment)', 'looks a value up in dyn(fact.comment)'],
      ["fact[fact.tag] == 'x'", 'selects by fact.tag, a value'],
      ["fact.comment.split(' ').exists(w, w == fact.tag)", 'compares text with fact.tag, a value'],
    ] as const) {
      const file = join(w.dir, 'notes.yaml');
      writeFileSync(file, rulebook(when));
      const r = w.run(['program', 'load', file]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('notes.yaml is refused: it would score special-category data (1 problem)');
      expect(r.stderr).toContain('notes.yaml:11:5 rules[0].when: rule "tagged"');
      expect(r.stderr).toContain(why);
      expect(r.stderr).toContain(`("${when}"`);
      expect(r.stderr).toContain('[CREDENCE_E_RULEBOOK_PROHIBITED]');
      expect(versions(w.db)).toBe(before);
    }

    const file = join(w.dir, 'notes.yaml');
    writeFileSync(file, rulebook("fact.comment.contains('late delivery')"));
    const ok = w.run(['program', 'load', file]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(versions(w.db)).toBe(before + 1);
  });
});
