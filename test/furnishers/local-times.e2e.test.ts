import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';
import { ALICE_CASE, COURT_HEADER, courtRow, courtWorld, writeCsv } from './court-world.js';

// Wallet and shop exports write times as the wall clock shows them (`2026-06-01 10:00:00`, no
// offset). Every such row was refused as "not a date (YYYY-MM-DD) or an instant with a time zone",
// even under a mapping that declares the file's zone, which is what reads its dates.
describe('times of day without an offset (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());
  const rows = [
    'record_id,event,occurred_at,account,amount',
    'p1,payment,2026-06-01 10:00:00,pay:a,12.50',
    'p2,payment,2026/6/2 9:05,pay:a,3',
  ];

  it('are read in the zone the mapping declares', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const shipped = readFileSync(join(ROOT, 'examples/sources/pay.yaml'), 'utf8');
    const mapping = join(w.dir, 'pay.yaml');
    writeFileSync(mapping, `${shipped}\nformat: { timeZone: "+08:00" }\n`);
    const r = w.run(['import', 'pay', writeCsv(w, 'pay.csv', rows), '--mapping', mapping]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = w.json<{ facts: { id: string; occurredAt: string }[] }>(['export', 'pay:a']);
    expect(file.facts.map((f) => [f.id, f.occurredAt])).toEqual([
      ['p1', '2026-06-01T02:00:00.000Z'],
      ['p2', '2026-06-02T01:05:00.000Z'],
    ]);
  });

  it('are refused under a mapping that declares no zone, naming the setting that reads them', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = writeCsv(w, 'pay.csv', rows);
    const r = w.run(['import', 'pay', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `${file}:2 column occurred_at: "2026-06-01 10:00:00" has a time of day but no time zone: declare the file's zone in the mapping (format: { timeZone: "+08:00" })`,
    );
  });

  it("a snapshot's --as-of with a time of day is read as the file's times are", () => {
    w = courtWorld();
    const file = writeCsv(w, 'court.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    const r = w.json<{ asOf: string }>(['import', 'court', file, '--as-of', '2025-06-30 12:00']);
    expect(r.asOf).toBe('2025-06-30T04:00:00.000Z');
  });
});
