import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// The audit log's entries carry what was read about a person (a `score.read` keeps the score and
// tier shown), so listing them is a read of that person's data: DESIGN.md logs every such read.
// `credence audit list` showed them and left no trace.
describe('credence audit list is itself logged (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const fact = line({
      id: 'o-1',
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: '2026-03-01T10:00:00Z',
      subject: { email: 'alice@example.org' },
      data: { amount: 10, items: 1 },
    });
    ok(w.run(['ingest', '-'], { input: `${fact}\n` }));
    ok(w.run(['score', 'alice@example.org', '--program', 'marketplace', '--as-of', '2026-03-02T00:00:00Z']));
  });
  afterAll(() => w.dispose());

  type Entry = {
    seq: number;
    subject?: string | null;
    action: string;
    actor: string;
    detail: Record<string, unknown>;
  };
  type Listed = { entries: Entry[] };
  const readsOfTheLog = (): Entry[] =>
    w.json<Listed>(['audit', 'list', '--action', 'audit.read', '--limit', '1000']).entries;

  it("files a listing of one person's entries under their id, with what was asked and how many were shown", () => {
    const before = readsOfTheLog().length;
    const listed = w.json<Listed>(['audit', 'list', '--subject', 'alice@example.org']).entries;
    expect(listed.map((e) => e.action)).toEqual(['score.read']);
    const id = listed[0]?.subject as string;
    const reads = readsOfTheLog();
    // The first readsOfTheLog() is logged too, and the listing's entry after it; the second
    // readsOfTheLog() is logged once it has read, so it is not in what it read.
    expect(reads.length).toBe(before + 2);
    const mine = reads.at(-1) as Entry;
    expect(mine).toMatchObject({ action: 'audit.read', subject: id, detail: { count: 1 } });
    expect(mine.actor).toMatch(/^cli/);
    // Not in the listing it records: it is written once the entries are read, before they are shown.
    expect(listed.map((e) => e.seq)).not.toContain(mine.seq);
  });

  it('logs a listing of everyone with no subject, and the filters it was given', () => {
    const n = w.json<Listed>(['audit', 'list', '--action', 'score.read']).entries.length;
    const reads = readsOfTheLog();
    expect(reads.at(-1)).toMatchObject({
      action: 'audit.read',
      subject: null,
      detail: { count: n, actions: ['score.read'] },
    });
  });

  it('logs nothing for a listing refused before anything was read', () => {
    const before = readsOfTheLog().length;
    expect(w.run(['audit', 'list', '--subject', 'nobody@example.org']).code).toBe(4);
    expect(w.run(['audit', 'list', '--limit', '0']).code).toBe(2);
    expect(readsOfTheLog().length).toBe(before + 1);
  });

  it('refuses an identifier two people hold without saying who they are, and logs nothing', () => {
    const pay = (id: string, subject: Record<string, string>) =>
      line({
        id,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T00:00:00Z',
        subject,
        data: { amount: 5 },
      });
    const facts = [pay('x1', { passport_number: 'E12345678' }), pay('x2', { account: 'E12345678' })];
    ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
    const before = readsOfTheLog().length;
    const r = w.run(['audit', 'list', '--subject', 'E12345678']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('"E12345678" names 2 people');
    expect(r.stderr).not.toMatch(/P\d{7}/);
    expect(readsOfTheLog().length).toBe(before + 1);
  });
});
