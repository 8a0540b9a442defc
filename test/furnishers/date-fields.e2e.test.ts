import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import { ALICE_CASE, BOB_CASE, courtRow, courtWorld, type Entry, importSnapshot } from './court-world.js';

interface Report {
  refused: number;
  factsByType: Record<string, number>;
}

/** The entry with its registration and publication dates written as a spreadsheet saves them. */
const spreadsheetDates = (e: Entry): Entry => {
  const [y, m, d] = e.registered.split('-');
  return { ...e, registered: `${y}/${Number(m)}/${Number(d)}` };
};

// A court list saved again from a spreadsheet in a Chinese locale writes its dates 2025/3/1. The
// registration date (which dates the listing) was read as a date, but the publication date, sent as
// data, was compared as text: every entry of the next snapshot looked changed, and each listed
// person's file got an "updated" court entry that changed nothing.
describe('a date column sent as data (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is written as YYYY-MM-DD however the file writes it, so a re-saved list updates no one', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const before = dumpDatabase(w.db).facts;
    const again = importSnapshot<Report>(
      w,
      's2.csv',
      [courtRow(spreadsheetDates(ALICE_CASE)), courtRow({ ...BOB_CASE, registered: '2025年4月1日' })],
      '2026-07-31',
    );
    expect(again).toMatchObject({ refused: 0, factsByType: {} });
    expect(dumpDatabase(w.db).facts).toEqual(before);
  });

  it('a first listing stores the date as YYYY-MM-DD', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(spreadsheetDates(ALICE_CASE))], '2026-06-30');
    const facts = (dumpDatabase(w.db).facts ?? []) as { type: string; body: string }[];
    const listing = facts.find((f) => f.type === 'court.blacklist_listed');
    expect(JSON.parse(listing?.body ?? '{}').data.published_on).toBe('2025-03-01');
  });
});
