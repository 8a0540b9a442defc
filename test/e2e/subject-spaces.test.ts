import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// A subject id copied with the spaces around it (from a table, a terminal) named nobody:
// `credence score " P0000001 "` answered "no person". Ids never hold spaces, so it is that person.
describe('a subject given with spaces around it (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('names the same person as without them', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const lines = [1, 2, 3].map((d) =>
      payment(`p${d}`, `2026-03-0${d}T10:00:00Z`, { phone: '+8613800138000' }, 120),
    );
    ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
    const asOf = ['--program', 'marketplace', '--as-of', '2026-04-01T00:00:00Z'];
    const plain = w.json<{ subject: string; score: number }>(['score', 'P0000001', ...asOf]);
    const spaced = w.json<{ subject: string; score: number }>(['score', ' P0000001 ', ...asOf]);
    expect(spaced).toEqual(plain);
    expect(spaced.subject).toBe('P0000001');
  });
});
