import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';

const RIDES = join(ROOT, 'examples/sources/samples/ride-2026-06.csv');

interface Report {
  rows: number;
  refused: number;
  accepted: number;
  factsByType: Record<string, number>;
}

// An import is judged as ingest judges facts: by the rulebook versions that may score them. A
// version loaded for later that drops an event type the version in force declares takes nothing
// away before it is in force (docs/rulebook.md, "Versions").
describe('credence import with a rulebook version not yet in force (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('imports, dry run and for real, what the version in force declares, as without the later version', () => {
    const plain = makeWorld({ programs: [MARKETPLACE] });
    const versioned = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(plain, versioned);
    // v2, from 2099 on: no rentals.
    const v2 = readFileSync(MARKETPLACE, 'utf8')
      .replace(/^program: marketplace$/m, 'program: marketplace\neffectiveFrom: 2099-01-01T00:00:00Z')
      .replace(/^ {2}rental\.returned: .*\n/m, '')
      .replace(/^ {2}- id: rental-on-time\n(?: {4}.*\n)+/m, '')
      .replace(/^ {2}- id: rental-late\n(?: {4}.*\n)+/m, '');
    expect(v2).not.toContain('rental.returned');
    const file = join(versioned.dir, 'v2.yaml');
    writeFileSync(file, v2);
    const load = versioned.run(['program', 'load', file]);
    expect(load.code, load.stderr).toBe(0);

    const expected = plain.json<Report>(['import', 'ride', RIDES]);
    expect(expected.factsByType['rental.returned']).toBeGreaterThan(0);
    const before = dumpDatabase(versioned.db);
    const dry = versioned.json<Report>(['import', 'ride', RIDES, '--dry-run']);
    expect(dry).toMatchObject({ rows: expected.rows, refused: 0, accepted: expected.accepted });
    expect(dumpDatabase(versioned.db)).toEqual(before);
    const real = versioned.json<Report>(['import', 'ride', RIDES]);
    expect(real).toMatchObject({ rows: expected.rows, refused: 0, accepted: expected.accepted });
    expect(real.factsByType).toEqual(expected.factsByType);
  });
});
