import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countFacts, line, MARKETPLACE, makeWorld, ok, runCli, type World } from './cli.js';

// `credence demo --db credence.db`, typed by an operator who has a database of that name, deleted
// it and built the demo in its place, without a word.
describe('credence demo --db naming an existing file (real binary)', () => {
  let w: World | undefined;
  afterEach(() => w?.dispose());

  it('is refused before anything is deleted, naming --db; the demo file of its own is still made afresh', () => {
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
    const r = runCli(['demo', '--people', '5', '--days', '10', '--db', w.db], { cwd: w.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--db ${w.db} exists`);
    expect(r.stderr).toContain('CREDENCE_E_USAGE');
    expect(r.stdout).toBe('');
    expect(countFacts(w.db)).toBe(1);

    // A new file at another path is made; the default path is the demo's own and is replaced.
    const fresh = join(w.dir, 'other-demo.db');
    expect(runCli(['demo', '--people', '5', '--days', '10', '--db', fresh], { cwd: w.dir }).code).toBe(0);
    expect(existsSync(fresh)).toBe(true);
    const home = mkdtempSync(join(tmpdir(), 'credence-demo-own-'));
    try {
      writeFileSync(join(home, 'credence-demo.db'), 'an earlier demo');
      const again = runCli(['demo', '--people', '5', '--days', '10'], { cwd: home });
      expect(again.code, again.stderr).toBe(0);
      expect(readFileSync(join(home, 'credence-demo.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
