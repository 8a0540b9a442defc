import { afterEach, describe, expect, it } from 'vitest';
import { line, type World } from '../e2e/cli.js';
import { ALICE_CASE, ALICE_ID, courtRow, courtWorld, importSnapshot, scoreOf } from './court-world.js';

// Alice's first-generation ID (the upgrade of which is ALICE_ID), and another person whose ID the
// list masks the same way (1101051949****002X): the court corrects the entry to them.
const ALICE_15 = '110105491231002';
const OTHER_ID = '11010519490108002X';

describe('a court list entry first listed under a 15-digit ID', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('moves to the person a later snapshot names instead, as an 18-digit ID does', () => {
    w = courtWorld();
    const optIn = line({
      id: 'e3',
      source: 'city-civic-enrolment',
      type: 'credence.opt_in',
      occurredAt: '2024-01-01T00:00:00Z',
      subject: { national_id: OTHER_ID },
      data: { program: 'city-civic' },
    });
    expect(w.run(['ingest', '-'], { input: `${optIn}\n` }).code).toBe(0);
    const listedAs = (id: string) => courtRow(ALICE_CASE).replace(`,${ALICE_ID},`, `,${id},`);
    importSnapshot(w, 'june.csv', [listedAs(ALICE_15)], '2026-06-01T00:00:00Z');
    expect(scoreOf(w, ALICE_ID, '2026-06-02T00:00:00Z').flags).toEqual(['dishonest-debtor']);
    // July: the same entry (court, case, masked ID) names the other person.
    importSnapshot(w, 'july.csv', [listedAs(OTHER_ID)], '2026-07-01T00:00:00Z');
    expect(scoreOf(w, ALICE_ID, '2026-07-02T00:00:00Z').flags).toEqual([]);
    expect(scoreOf(w, OTHER_ID, '2026-07-02T00:00:00Z').flags).toEqual(['dishonest-debtor']);
  });

  it('stays with its person when a later snapshot gives the same ID in 18 characters', () => {
    w = courtWorld();
    const listedAs = (id: string) => courtRow(ALICE_CASE).replace(`,${ALICE_ID},`, `,${id},`);
    importSnapshot(w, 'june.csv', [listedAs(ALICE_15)], '2026-06-01T00:00:00Z');
    const july = importSnapshot<{ factsByType: Record<string, number> }>(
      w,
      'july.csv',
      [listedAs(ALICE_ID)],
      '2026-07-01T00:00:00Z',
    );
    // The entry's text changed (recorded, as any change of an entry is), not whom it names: no removal.
    expect(Object.keys(july.factsByType).filter((t) => t !== 'court.blacklist_updated')).toEqual([]);
    expect(scoreOf(w, ALICE_ID, '2026-07-02T00:00:00Z').flags).toEqual(['dishonest-debtor']);
  });
});
