import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { ALICE_CASE, BOB_CASE, COURT_HEADER, courtRow, courtWorld, writeCsv } from './court-world.js';

// Excel in a locale with a decimal comma saves "CSV" with semicolons; other tools write tabs.
describe('a file delimited otherwise than its mapping says (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused for its header with the delimiter it seems to use and how to read it', () => {
    w = courtWorld();
    for (const d of [';', '\t']) {
      const rows = [COURT_HEADER, courtRow(ALICE_CASE), courtRow(BOB_CASE)].map((l) => l.replaceAll(',', d));
      const r = w.run(['import', 'court', writeCsv(w, 'court.csv', rows), '--as-of', '2026-06-30']);
      expect(r.code).toBe(3);
      const shown = JSON.stringify(d);
      // It said only that the header lacked every column the mapping reads.
      expect(r.stderr).toContain(
        `the header is one cell holding ${shown}, so the file looks delimited by ${shown}, and the mapping reads ","`,
      );
      expect(r.stderr).toContain(`format: { delimiter: ${shown} }`);
    }
  });
});
