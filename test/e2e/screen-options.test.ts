import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// `credence screen --limit abc` listed up to 10 candidates, `--limit 0` and `--limit -1` one, and
// `--threshold ""` took 0 (every candidate however unlike), all without a word; `--name ""` ran a
// search POST /v1/screen refuses ("body.name must not be empty").
describe('credence screen refuses options it cannot read (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld();
  });
  afterAll(() => w.dispose());

  it('names the option and what it takes, exit 2, and shows nothing', () => {
    const cases: [string[], string][] = [
      [['--limit', 'abc'], '--limit must be a whole number of 1 or more, got "abc"'],
      [['--limit', '0'], '--limit must be a whole number of 1 or more, got "0"'],
      [['--limit', '-1'], '--limit must be a whole number of 1 or more, got "-1"'],
      [['--threshold', ''], '--threshold must be between 0 and 1, got ""'],
      [['--threshold', ' '], '--threshold must be between 0 and 1, got " "'],
    ];
    for (const [args, message] of cases) {
      const r = w.run(['screen', '--name', 'Wang Wei', ...args]);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
    const empty = w.run(['screen', '--name', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--name must not be empty');
    expect(w.run(['screen', '--name', 'Wang Wei', '--limit', '3', '--threshold', '0.5']).code).toBe(0);
  });
});
