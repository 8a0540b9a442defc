import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { line, type World } from '../e2e/cli.js';
import { ALICE_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

// Before 5d8a237 a register key column read through a `values` table kept the cell's own spelling
// in the entry's fact ids (`hc|C-1#L:…` for a court the table spells `HC`). A snapshot finds such
// entries (its stored keys are read as rows are now); a delta looked its entries up by the row's
// key alone, so on a database built by the older code its removal of `HC|C-1` was refused as an
// entry never listed and the flag stayed, and its listing stored the entry a second time.

const MAPPING = [
  'source: harbour-court',
  'kind: court',
  'types: [court.blacklist_listed, court.blacklist_removed]',
  'subject: { full_name: name, national_id: id }',
  'data:',
  '  court: { column: court, values: { HC: Harbour Court } }',
  '  case: case',
  '  ground: { const: refuses-to-perform }',
  'register:',
  '  key: [court, case]',
  '  listed: { type: court.blacklist_listed, at: registered }',
  '  removed: { type: court.blacklist_removed, at: changed }',
  '  asOf: published',
  '  action: { column: change, listing: [listed], update: [updated], removal: [removed] }',
  '  removalData: [court, case]',
  '',
].join('\n');

/** The listing exactly as the code before 5d8a237 stored it from a June list writing `hc`. */
const OLD_LISTING = line({
  id: 'hc|C-1#L:2026-05-01',
  source: 'harbour-court',
  type: 'court.blacklist_listed',
  occurredAt: '2026-05-01T00:00:00.000Z',
  subject: { full_name: 'Wang Li', national_id: ALICE_ID },
  data: { court: 'Harbour Court', case: 'C-1', ground: 'refuses-to-perform' },
});

const DELTA_HEADER = 'name,id,court,case,registered,changed,change';

describe('a delta naming an entry stored under an older spelling of a values word (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  function oldDatabase(): string {
    w = courtWorld();
    const ing = w.run(['ingest', '-'], { input: `${OLD_LISTING}\n` });
    expect(ing.code, ing.stderr).toBe(0);
    expect(scoreOf(w, ALICE_ID, '2026-06-15T00:00:00Z').flags).toEqual(['dishonest-debtor']);
    const map = join(w.dir, 'court.yaml');
    writeFileSync(map, MAPPING);
    return map;
  }

  it('removes it and clears the flag; the same delta again changes nothing', () => {
    const map = oldDatabase();
    const delta = writeCsv(w, 'delta.csv', [
      DELTA_HEADER,
      `Wang Li,${ALICE_ID},HC,C-1,2026-05-01,2026-07-01,removed`,
    ]);
    const r = w.run(['import', 'harbour-court', delta, '--mapping', map, '--mode', 'delta', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accepted: 1,
      factsByType: { 'court.blacklist_removed': 1 },
    });
    expect(scoreOf(w, ALICE_ID, '2026-07-15T00:00:00Z').flags).toEqual([]);

    const again = w.json<{ accepted: number }>([
      'import',
      'harbour-court',
      delta,
      '--mapping',
      map,
      '--mode',
      'delta',
    ]);
    expect(again.accepted).toBe(0);
  });

  it('takes its listing sent again as the entry already listed, not a second one', () => {
    const map = oldDatabase();
    const delta = writeCsv(w, 'delta.csv', [
      DELTA_HEADER,
      `Wang Li,${ALICE_ID},Hc,C-1,2026-05-01,2026-05-01,listed`,
    ]);
    const r = w.json<{ accepted: number }>([
      'import',
      'harbour-court',
      delta,
      '--mapping',
      map,
      '--mode',
      'delta',
    ]);
    expect(r.accepted).toBe(0);
  });
});
