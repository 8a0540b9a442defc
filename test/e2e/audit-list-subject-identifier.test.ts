import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// An auditor asked `credence audit list --subject alice@example.org` (the e-mail `credence score`
// takes for her) and was shown nothing, exit 0: entries are filed under subject ids.
describe('credence audit list --subject with an identifier (real binary)', () => {
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

  type Listed = { entries: { subject?: string; action: string }[] };

  it('lists the entries of the person the identifier names, saying which id that is', () => {
    const r = ok(w.run(['audit', 'list', '--subject', 'alice@example.org', '--json']));
    const { entries } = JSON.parse(r.stdout) as Listed;
    expect(entries.map((e) => e.action)).toEqual(['score.read']);
    const id = entries[0]?.subject as string;
    expect(id).toMatch(/^P\d{7}$/);
    expect(r.stderr).toContain(`alice@example.org is ${id}`);
    // The id itself lists the same, then the listing just made (a read of her entries, filed
    // under her id), and says nothing more.
    const byId = ok(w.run(['audit', 'list', '--subject', id, '--json']));
    const again = (JSON.parse(byId.stdout) as Listed).entries;
    expect(again.slice(0, -1)).toEqual(entries);
    expect(again.at(-1)).toMatchObject({ action: 'audit.read', subject: id });
    expect(byId.stderr).toBe('');
  });

  it('refuses an identifier nobody holds as score does, naming --subject', () => {
    const r = w.run(['audit', 'list', '--subject', 'nobody@example.org']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no person "nobody@example.org"');
    expect(r.stderr).toContain('CREDENCE_E_SUBJECT_NOT_FOUND');
  });
});
