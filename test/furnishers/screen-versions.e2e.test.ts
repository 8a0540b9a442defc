import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, type World } from '../e2e/cli.js';
import { ALICE_CASE, courtRow, courtWorld, importSnapshot } from './court-world.js';

interface ScreenJson {
  candidates: { subjectId: string }[];
}

// `credence screen --as-of` judges flags as a score at that instant does: by each program's
// rulebook version in force then, and without listings past their retention period (deleted, not
// just ignored), as the API's screening and the scoring engine do.
describe('credence screen by the version in force and retention (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());
  const screen = (asOf: string) =>
    w.json<ScreenJson>(['screen', '--name', '王丽', '--as-of', asOf]).candidates.length;

  it('does not list a person by a listing past its retention period', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    expect(screen('2026-07-01T00:00:00Z')).toBe(1);
    // Court listings are kept five years (city-civic's retain): ten years on, the listing is gone.
    expect(screen('2036-07-01T00:00:00Z')).toBe(0);
  });

  it('does not take a listed person off by a version loaded for later, until it is in force', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    // v2, from 2030 on, keeps court listings one day instead of five years.
    const v1 = readFileSync(CITY_CIVIC, 'utf8');
    const v2 = v1
      .replace(/^program: city-civic$/m, 'program: city-civic\neffectiveFrom: 2030-01-01T00:00:00Z')
      .replace('ground: string }, retain: P5Y', 'ground: string }, retain: P1D');
    expect(v2).toContain('retain: P1D');
    const file = join(w.dir, 'v2.yaml');
    writeFileSync(file, v2);
    const load = w.run(['program', 'load', file]);
    expect(load.code, load.stderr).toBe(0);
    expect(screen('2026-07-05T00:00:00Z')).toBe(1);
    expect(screen('2030-07-01T00:00:00Z')).toBe(0);
  });
});
