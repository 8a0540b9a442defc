import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// `credence purge --as-of 2062-…` (a mistyped year) deleted, irreversibly, every fact whose
// retention would be over by then: a purge ahead of now deletes what retention still keeps.
describe('credence purge as of a day to come (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused unless counted (--dry-run) or asked for (--allow-future)', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const pay = line({
      id: 'p1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      subject: { phone: '+8613800138000' },
      data: { amount: 120 },
    });
    ok(w.run(['ingest', '-'], { input: `${pay}\n` }));
    const before = dumpDatabase(w.db);
    const typo = w.run(['purge', '--as-of', '2062-01-01T00:00:00Z']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--as-of 2062-01-01T00:00:00Z is later than now.*--dry-run.*--allow-future/);
    expect(typo.stderr).toContain('CREDENCE_E_USAGE');
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
    expect(w.json<{ facts: number }>(['purge', '--as-of', '2062-01-01T00:00:00Z', '--dry-run']).facts).toBe(
      1,
    );
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
    expect(
      w.json<{ facts: number }>(['purge', '--as-of', '2062-01-01T00:00:00Z', '--allow-future']).facts,
    ).toBe(1);
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });
});
