import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteAuditLog } from '../../src/audit/index.js';
import { makeWorld, ok, type World } from './cli.js';

// `credence audit list` printed the oldest --limit entries (100) and stopped without a word, so on a
// live log an operator saw last month and took it for everything; nor could they ask for the
// refusals alone. It says when there are more, and filters by action, actor and instant as the log can.

describe('credence audit list (real binary)', () => {
  let w: World;
  const actions = ['score.query', 'auth.refused', 'key.issue'];
  beforeAll(async () => {
    w = makeWorld();
    const log = await openSqliteAuditLog(w.db);
    for (let i = 0; i < 30; i++) {
      await log.append({
        at: Date.parse('2026-11-01T00:00:00Z') + i * 3_600_000,
        actor: `key:k${i % 2}`,
        action: actions[i % 3] as string,
        subject: `P000000${i % 4}`,
        detail: { i },
      });
    }
    await log.close();
  });
  afterAll(() => w.dispose());

  type Listed = { entries: { seq: number; action: string; actor: string; at: number }[] };

  it('says on stderr that the limit cut the list, and not when it did not', () => {
    const cut = ok(w.run(['audit', 'list', '--limit', '10']));
    expect(cut.stdout.trim().split('\n')).toHaveLength(10);
    expect(cut.stderr).toMatch(/first 10 entries.*--limit/);
    // 30 entries, and the listing before this one (`audit.read`: listing the log is a read of it).
    const all = ok(w.run(['audit', 'list']));
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[30]).toMatch(/\taudit\.read\t/);
    expect(all.stderr).toBe('');
  });

  it('filters by action, actor and since', () => {
    const refused = w.json<Listed>(['audit', 'list', '--action', 'auth.refused']).entries;
    expect(refused).toHaveLength(10);
    expect(new Set(refused.map((e) => e.action))).toEqual(new Set(['auth.refused']));
    const two = w.json<Listed>([
      'audit',
      'list',
      '--action',
      'auth.refused',
      '--action',
      'key.issue',
    ]).entries;
    expect(two).toHaveLength(20);
    const byK1 = w.json<Listed>(['audit', 'list', '--actor', 'key:k1']).entries;
    expect(byK1.map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => 2 * i + 2));
    // The listings themselves are logged now (`audit.read`, by the CLI's user): left aside here.
    const since = w
      .json<Listed>(['audit', 'list', '--since', '2026-11-02T00:00:00Z'])
      .entries.filter((e) => e.action !== 'audit.read');
    expect(since.map((e) => e.seq)).toEqual(Array.from({ length: 6 }, (_, i) => 25 + i));
    const bad = w.run(['audit', 'list', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
  });

  it('pages by the hint it prints: every entry once, none twice, even many in one millisecond', async () => {
    // Twelve more entries at one instant: a --since cursor (the hint before) showed the last entry
    // of a page again, and could not get past more entries of one millisecond than the limit.
    const log = await openSqliteAuditLog(w.db);
    for (let i = 0; i < 12; i++)
      await log.append({
        at: Date.parse('2026-11-03T00:00:00Z'),
        actor: 'key:k9',
        action: 'key.issue',
        detail: { i },
      });
    await log.close();
    const seen: number[] = [];
    let args = ['audit', 'list', '--limit', '5'];
    for (let page = 0; page < 20; page++) {
      const r = ok(w.run(args));
      seen.push(
        ...r.stdout
          .trim()
          .split('\n')
          .map((l) => Number(l.split('\t')[0])),
      );
      const next = /--after (\d+)/.exec(r.stderr);
      if (!next) break;
      args = ['audit', 'list', '--limit', '5', '--after', next[1] as string];
    }
    // Each page is logged as it is shown, so the log grows by one entry a page: the pages still
    // list every entry once, those logged along the way included, until they catch up.
    expect(seen.length).toBeGreaterThan(42);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    const bad = w.run(['audit', 'list', '--after', 'last']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--after');
  });
});
