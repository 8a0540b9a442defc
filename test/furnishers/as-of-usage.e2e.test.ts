import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';
import { ALICE_CASE, COURT_HEADER, courtRow, courtWorld, writeCsv } from './court-world.js';

// --as-of dates a register snapshot (the list as of that day). A delta's rows and a platform
// export's rows carry their own dates: an --as-of given with them was ignored without a word, and
// the operator who meant to date the file's changes got the file's dates instead.
describe('--as-of where it dates nothing (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused for a platform export and for a delta, before anything is written', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const pay = join(ROOT, 'examples/sources/samples/pay-2026-06.csv');
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'pay', pay, '--as-of', '2026-06-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of.*snapshot/);
    expect(dumpDatabase(w.db)).toEqual(before);
    w.dispose();

    w = courtWorld();
    const d = writeCsv(w, 'd.csv', [
      `${COURT_HEADER},change,changed_on`,
      courtRow(ALICE_CASE, ['listed', '']),
    ]);
    const delta = w.run(['import', 'court', d, '--mode', 'delta', '--as-of', '2026-06-30']);
    expect(delta.code).toBe(2);
    expect(delta.stderr).toMatch(/--as-of.*snapshot/);
    // Without it, the delta imports.
    expect(w.run(['import', 'court', d, '--mode', 'delta']).code).toBe(0);
  });
});
