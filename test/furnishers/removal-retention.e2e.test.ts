import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, line, makeWorld, type World } from '../e2e/cli.js';

const WEI = { national_id: '11010519491231002X' };
const NA = { national_id: '110101199003074514' };
const DAY = 86_400_000;

const court = (id: string, type: string, at: string, subject: Record<string, string>, caseNo: string) =>
  line({
    id,
    source: 'court',
    type,
    occurredAt: at,
    subject,
    data: {
      court: 'Rongcheng Intermediate',
      case: caseNo,
      ...(type === 'court.blacklist_listed' ? { ground: 'refuses' } : {}),
    },
  });

function factIds(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT id FROM facts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    d.close();
  }
}

function identifiersOf(db: string, value: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM identifiers WHERE value = ?').get(value) as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('a court list removal kept by its own retention', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('goes with the listing it ended: nobody is kept for a listing already deleted', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    // Dates relative to now (ingest refuses what is already past retention); the purge looks ahead.
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    // court.blacklist_listed and _removed are both kept five years (P5Y) from their own dates.
    const facts = [
      court('l-wei', 'court.blacklist_listed', at(-5 * 365 + 60), WEI, '(2021)01'),
      court('r-wei', 'court.blacklist_removed', at(-30), WEI, '(2021)01'),
      // NA: listed twice; the old case's listing and removal go, the newer case stays whole.
      court('l-na-1', 'court.blacklist_listed', at(-5 * 365 + 60), NA, '(2021)02'),
      court('r-na-1', 'court.blacklist_removed', at(-30), NA, '(2021)02'),
      court('l-na-2', 'court.blacklist_listed', at(-400), NA, '(2024)07'),
      court('r-na-2', 'court.blacklist_removed', at(-20), NA, '(2024)07'),
    ];
    expect(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }).code).toBe(0);
    const r = w.json<Record<string, unknown>>(['purge', '--as-of', at(120), '--allow-future']);
    expect(r).toMatchObject({
      facts: 4,
      byType: { 'court.blacklist_listed': 2, 'court.blacklist_removed': 2 },
    });
    expect(factIds(w.db)).toEqual(['l-na-2', 'r-na-2']);
    // WEI has nothing left: forgotten, ID number and all.
    expect(identifiersOf(w.db, WEI.national_id)).toBe(0);
    expect(identifiersOf(w.db, NA.national_id)).toBe(1);
  });

  it('stays while the entry is listed again in the same case', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    const facts = [
      court('l-1', 'court.blacklist_listed', at(-5 * 365 + 60), WEI, '(2021)01'),
      court('r-1', 'court.blacklist_removed', at(-900), WEI, '(2021)01'),
      court('l-2', 'court.blacklist_listed', at(-400), WEI, '(2021)01'),
      court('r-2', 'court.blacklist_removed', at(-20), WEI, '(2021)01'),
    ];
    expect(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }).code).toBe(0);
    w.json(['purge', '--as-of', at(120), '--allow-future']);
    expect(factIds(w.db)).toEqual(['l-2', 'r-1', 'r-2']);
  });
});
