import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { ALICE_CASE, ALICE_ID, courtRow, courtWorld, importSnapshot } from './court-world.js';

interface ScreenJson {
  asOf: string;
  projection?: boolean;
  candidates: { subjectId: string }[];
}
interface Entry {
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

// `credence score` and `explain --as-of` later than now answer labelled a projection (computed from
// the facts stored now); a relying party's as-of ahead is refused. `credence screen --as-of`, the
// screening a relying party asks for by name, answered an instant ahead unlabelled: its text and
// JSON, its screen.run entry and each candidate's screen.query (an inquiry in their file, whose
// `sent` is what the person reads) looked like flags held now. Labelled as score's is now; the
// look-ahead stays (when does a listing lapse: screen-versions.e2e.test.ts).
describe('credence screen --as-of later than now (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const auditEntries = (): Entry[] => w.json<{ entries: Entry[] }>(['audit', 'list']).entries;

  it('labels the answer, the log entry and the inquiry a projection; an as-of in the past is not', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');

    const past = w.json<ScreenJson>(['screen', '--name', '王丽', '--as-of', '2026-07-01T00:00:00Z']);
    expect(past.candidates).toHaveLength(1);
    expect(past).not.toHaveProperty('projection');
    const pastEntries = auditEntries().slice(-2);
    expect(pastEntries[0]?.detail).not.toHaveProperty('projection');
    expect(pastEntries[1]?.detail).not.toHaveProperty('projection');

    // 2029: the listing (kept five years) still holds, so the person is shown, as of a date to come.
    const ahead = w.json<ScreenJson>(['screen', '--name', '王丽', '--as-of', '2029-07-01T00:00:00Z']);
    expect(ahead.candidates).toHaveLength(1);
    expect(ahead.projection).toBe(true);
    const [run, query] = auditEntries().slice(-2);
    expect(run?.action).toBe('screen.run');
    expect(run?.detail).toMatchObject({ asOf: Date.parse('2029-07-01T00:00:00Z'), projection: true });
    expect(query?.action).toBe('screen.query');
    expect(query?.detail).toMatchObject({ asOf: '2029-07-01T00:00:00.000Z', projection: true });

    const text = w.run(['screen', '--name', '王丽', '--as-of', '2029-07-01T00:00:00Z']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^projection: 2029-07-01T00:00:00\.000Z is later than now/);

    // The person reads it in their file: the inquiry says what date it was made for.
    const { inquiries } = w.json<{ inquiries: { action: string; sent: Record<string, unknown> }[] }>([
      'export',
      ALICE_ID,
    ]);
    expect(inquiries.filter((i) => i.sent.projection === true)).toHaveLength(2);
  });
});
