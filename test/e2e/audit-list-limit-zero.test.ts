import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// `credence audit list --limit 0` printed nothing and then "the first 0 entries; more follow: --limit N
// for more", with no --after to go on from; and `--limit -3` was told it is not a whole number.
describe('credence audit list --limit (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld();
  });
  afterAll(() => w.dispose());

  it('refuses a limit below 1 as a usage error naming the flag and what it takes', () => {
    for (const limit of ['0', '-3', '00']) {
      const r = w.run(['audit', 'list', '--limit', limit]);
      expect([limit, r.code]).toEqual([limit, 2]);
      expect(r.stderr).toContain(`--limit must be a whole number of 1 or more, got "${limit}"`);
      expect(r.stderr).toContain('CREDENCE_E_USAGE');
      expect(r.stdout).toBe('');
    }
    expect(w.run(['audit', 'list', '--limit', '1']).code).toBe(0);
  });
});
