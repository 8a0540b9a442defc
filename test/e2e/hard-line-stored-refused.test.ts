import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { line, makeWorld } from './cli.js';

// A stored version is checked against the hard line again each time it is compiled, so one that
// passed when loaded is refused once the word lists grow (`cult` was added after such a version
// could load). `credence program load` compiled the program's own refused version to check the
// new one's shared event types against it, so the corrected version could not be loaded either:
// exit 6, the program stuck on rules that may no longer run.
const rulebook = (word: string) => `program: notes
name: Notes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.noted: { category: commerce, fields: { tag: string, amount: number } }
rules:
  - id: tagged
    on: order.noted
    when: "fact.tag == '${word}'"
    points: -100
    reason: { code: N1, text: "Order note" }
`;

const w = makeWorld();
afterAll(() => w.dispose());

/** The rulebook picking facts out by `word`, written to a file of the world's directory. */
const file = (word: string): string => {
  const path = join(w.dir, `notes-${word}.yaml`);
  writeFileSync(path, rulebook(word));
  return path;
};

describe('a stored version the hard line now refuses (real binary)', () => {
  it('leaves the export whole and is replaced by loading a corrected version, which re-derives the ledgers', async () => {
    const fact = line({
      id: 'o1',
      source: 'shop',
      type: 'order.noted',
      occurredAt: '2026-03-01T10:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { tag: 'late', amount: 1 },
    });
    const first = w.run(['program', 'load', file('late')]);
    expect(first.code, first.stderr).toBe(0);
    expect(w.run(['ingest', '-'], { input: `${fact}\n` }).code).toBe(0);
    // What an older word list let through, stored as its loader stored it.
    const store = await openSqliteStore(w.db);
    try {
      await store.addRulebook({
        program: 'notes',
        name: 'Notes',
        yaml: rulebook('protest'),
        effectiveFrom: 0,
        loadedAt: Date.now(),
      });
    } finally {
      await store.close();
    }
    const refused = w.run(['score', '+8613800138000', '--program', 'notes', '--json']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('notes v2 is refused');

    // The person's copy of their file (Art. 15) still comes, with every ledger line held.
    const copy = w.json<{ ledgers: Record<string, Array<{ rule: string; reason: { text: unknown } }>> }>([
      'export',
      '+8613800138000',
    ]);
    expect(copy.ledgers.notes).toEqual([
      expect.objectContaining({ rule: 'tagged', reason: { code: 'N1', text: null } }),
    ]);

    const fixed = w.run(['program', 'load', file('overdue')]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('loaded notes v3');
    const scored = w.json<{ status: string; score: number }>([
      'score',
      '+8613800138000',
      '--program',
      'notes',
    ]);
    expect(scored).toMatchObject({ status: 'scored', score: 500 });
  });
});
