import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { ALICE_ID, courtWorld, writeCsv } from './court-world.js';

// A delta row that says `updated` under a mapping that declares no update type (or no column
// dating one) was refused as "a delta update needs its date", naming no column: the row had a
// date, and the furnisher or operator was sent looking for it. What is missing is in the mapping.

function mapping(w: World, updated: string): string {
  const path = join(w.dir, 'court.yaml');
  writeFileSync(
    path,
    [
      'source: harbour-court',
      'kind: court',
      'types: [court.blacklist_listed, court.blacklist_updated, court.blacklist_removed]',
      'subject: { full_name: name, national_id: id }',
      'data: { court: court, case: case, ground: { const: refuses-to-perform } }',
      'register:',
      '  key: [court, case]',
      '  listed: { type: court.blacklist_listed, at: registered }',
      updated,
      '  removed: { type: court.blacklist_removed, at: changed }',
      '  action: { column: change, listing: [listed], update: [updated], removal: [removed] }',
      '',
    ].join('\n'),
  );
  return path;
}

describe('a delta update under a mapping that cannot store one (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  for (const [what, updated, reason] of [
    [
      'no update type',
      '',
      'column change: "updated": the mapping declares no update event type (register.updated), so an update cannot be stored',
    ],
    [
      'an update type without its date column',
      '  updated: { type: court.blacklist_updated }',
      'column change: "updated": the mapping names no column dating an update (register.updated.at), so an update cannot be dated',
    ],
  ] as const) {
    it(`is refused saying what the mapping lacks: ${what}`, () => {
      w = courtWorld();
      const file = writeCsv(w, 'delta.csv', [
        'name,id,court,case,registered,change,changed',
        `Wang Li,${ALICE_ID},Harbour Court,C-1,2026-05-01,listed,2026-05-01`,
        `Wang Li,${ALICE_ID},Harbour Court,C-1,2026-05-01,updated,2026-06-01`,
      ]);
      const r = w.run(['import', 'harbour-court', file, '--mapping', mapping(w, updated), '--mode', 'delta']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`delta.csv:3 ${reason}`);
    });
  }
});
