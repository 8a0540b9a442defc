import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { ALICE_CASE, courtRow, courtWorld, importSnapshot } from './court-world.js';

interface ScreenJson {
  candidates: { subjectId: string; score: number; explanation: string[] }[];
}

const AS_OF = '2026-07-01T00:00:00Z';

// A listed person's country is the passport's issuing state as the source gives it (ICAO, three
// letters: CHN) or, for a resident ID, CN. A relying party that wrote CHN, as passports and their
// MRZ print it, had the listed Chinese national ruled out as a foreigner (-0.25, under the
// threshold): "no flagged person matches". And `--country 中国` was taken for a code too.
describe('credence screen --country (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('does not rule out a candidate on a code of the other system; refuses what is no code', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const screen = (country: string) =>
      w.run(['screen', '--name', '王丽', '--country', country, '--as-of', AS_OF, '--json']);
    const three = screen('CHN');
    expect(three.code, three.stderr).toBe(0);
    expect((JSON.parse(three.stdout) as ScreenJson).candidates).toHaveLength(1);
    const two = JSON.parse(screen('cn').stdout) as ScreenJson;
    expect(two.candidates[0]?.score).toBe(1);
    // A code of the same system that differs still counts against.
    expect((JSON.parse(screen('DE').stdout) as ScreenJson).candidates).toEqual([]);
    const bad = screen('中国');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--country/);
    // A slip (CNH for CHN) is refused too: compared, it ruled the national out as a foreigner.
    const slip = screen('CNH');
    expect(slip.code).toBe(2);
    expect(slip.stderr).toMatch(/--country .*"CNH", which is no country's code/);
    expect(screen('GBN').code).toBe(0);
  });
});
