import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CIVIC, dumpDatabase, MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';

const SAMPLES = join(ROOT, 'examples/sources/samples');

interface Report {
  rows: number;
  refused: number;
  facts: number;
  accepted: number;
  duplicates: number;
  factsByType: Record<string, number>;
  subjectsCreated?: number;
}

// Every shipped sample, in the order an operator would load them: dry run first (nothing
// written), then for real, then again (nothing changes).
const CASES: readonly [source: string, file: string, extra: readonly string[]][] = [
  ['court', 'court-2026-06.csv', []],
  ['court', 'court-2026-07.csv', []],
  ['court', 'court-delta-2026-07.csv', ['--mode', 'delta']],
  ['debtor-register', 'debtor-register-2026-06.csv', []],
  ['bureau', 'bureau-2026-06.csv', []],
  ['pay', 'pay-2026-06.csv', []],
  ['shop', 'shop-2026-06.csv', []],
  ['ride', 'ride-2026-06.csv', []],
];

/**
 * An import's JSON report. The samples are dated (a June 2026 snapshot): the only refusals allowed
 * are of rows already past their type's retention at today's clock, which grow as time passes
 * (docs/rulebook.md, "Retention at ingest"); anything else refused fails the test.
 */
function imported(w: World, args: readonly string[]): Report {
  const r = w.run([...args, '--json']);
  const report = JSON.parse(r.stdout) as Report & { refusals: { code: string }[] };
  expect(report.refusals.filter((x) => x.code !== 'CREDENCE_E_FACT_PAST_RETENTION')).toEqual([]);
  expect(report.refused).toBe(report.refusals.length);
  expect([r.code, r.stderr]).toEqual([report.refused > 0 ? 3 : 0, '']);
  return report;
}

describe('shipped samples (real binary, real database)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [CITY_CIVIC, MARKETPLACE] });
  });
  afterAll(() => w?.dispose());

  it.each(CASES)('%s %s: dry run, import, re-import', (source, file, extra) => {
    const path = join(SAMPLES, file);
    const before = dumpDatabase(w.db);
    const dry = imported(w, ['import', source, path, ...extra, '--dry-run']);
    // A dry run resolves no one, so it does not claim a count of new people.
    expect(dry).not.toHaveProperty('subjectsCreated');
    expect(dumpDatabase(w.db)).toEqual(before);

    const real = imported(w, ['import', source, path, ...extra]);
    expect(real.refused).toBe(dry.refused);
    expect(real.accepted).toBe(dry.accepted);
    expect(real.rows).toBeGreaterThan(0);
    expect(real.subjectsCreated).toEqual(expect.any(Number));

    const after = dumpDatabase(w.db);
    const again = imported(w, ['import', source, path, ...extra]);
    expect(again.accepted).toBe(0);
    expect(dumpDatabase(w.db)).toEqual(after);
  });

  it('the July delta brings the list to the same state as the July snapshot (imported before it)', () => {
    // court-2026-07.csv was imported before the delta above, so the delta only repeated it.
    const r = w.json<Report>(['import', 'court', join(SAMPLES, 'court-2026-07.csv')]);
    expect(r.facts).toBe(0);
  });

  it('debtor-register entries end on their deletion dates, without waiting for the next import', () => {
    // The June import dated each entry's removal by its deletion date (2029-06-20 for this one,
    // the newest entry: the sample's older ones are past the register's three years by now), so
    // the flag clears then; a later import of the same register adds nothing.
    const file = w.json<{ facts: { type: string; occurredAt: string }[] }>(['export', '110101195712133574']);
    expect(file.facts.filter((f) => f.type.startsWith('registry.'))).toEqual([
      expect.objectContaining({ type: 'registry.debtor_listed', occurredAt: '2026-06-21T00:00:00.000Z' }),
      expect.objectContaining({ type: 'registry.debtor_removed', occurredAt: '2029-06-20T00:00:00.000Z' }),
    ]);
    const r = imported(w, [
      'import',
      'debtor-register',
      join(SAMPLES, 'debtor-register-2026-06.csv'),
      '--as-of',
      '2026-10-01',
    ]);
    // Adds nothing: the only facts it calls for are the listings of rows past retention, refused
    // again as on the first import, which stored nothing of those rows (no scheduled removal).
    expect(r.accepted).toBe(0);
    expect(r.facts).toBe(r.refused);
  });
});

describe('a mapping that names a special category (real binary, real database)', () => {
  let w: World;
  afterAll(() => w?.dispose());

  it('is refused when loaded, naming the field and its line, before any row is read', () => {
    // Each row's fact would be refused at the door (CREDENCE_E_FACT_PROHIBITED), once per fact:
    // 24 identical lines per bureau row. The mapping is what says it, so it is what is refused.
    w = makeWorld({ programs: [MARKETPLACE] });
    const mapping = join(w.dir, 'bureau.yaml');
    writeFileSync(
      mapping,
      readFileSync(join(ROOT, 'examples/sources/bureau.yaml'), 'utf8').replace(
        '  loan: account_no\n',
        '  loan: account_no\n  religion: account_type\n',
      ),
    );
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'bureau', join(SAMPLES, 'bureau-2026-06.csv'), '--mapping', mapping]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bureau\.yaml:\d+ data\.religion: "religion" names religion/);
    expect(r.stderr).toMatch(/CREDENCE_E_MAPPING_INVALID/);
    expect(r.stderr.split('\n').filter((l) => l.includes('religion')).length).toBeLessThan(3);
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('is refused when its source, or the source imported under, is named for a special category', () => {
    // Every fact of a "church-donations" source would be refused at the door, once per row: the
    // mapping (or the SOURCE argument) is what says it, so the import stops before reading a row.
    w ??= makeWorld({ programs: [MARKETPLACE] });
    const mapping = join(w.dir, 'pay.yaml');
    writeFileSync(
      mapping,
      readFileSync(join(ROOT, 'examples/sources/pay.yaml'), 'utf8').replace(
        /^source: pay$/m,
        'source: church-donations',
      ),
    );
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'church-donations', join(SAMPLES, 'pay-2026-06.csv'), '--mapping', mapping]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pay\.yaml:\d+ source: "church-donations" names religious worship/);
    expect(r.stderr).toMatch(/CREDENCE_E_MAPPING_INVALID/);
    const under = w.run([
      'import',
      'city-hospital',
      join(SAMPLES, 'pay-2026-06.csv'),
      '--mapping',
      join(ROOT, 'examples/sources/pay.yaml'),
    ]);
    expect(under.code).toBe(3);
    expect(under.stderr).toMatch(
      /SOURCE: "city-hospital" names hospital treatment .*\[CREDENCE_E_FACT_PROHIBITED\]/,
    );
    expect(under.stderr.split('\n').filter((l) => l.includes('city-hospital')).length).toBeLessThan(3);
    expect(dumpDatabase(w.db)).toEqual(before);
  });
});

describe('a file whose header repeats a column (real binary, real database)', () => {
  let w: World;
  afterAll(() => w?.dispose());

  it('is refused when the mapping reads that column, naming it and where it stands; others pass', () => {
    // Two `amount` columns: the last one was read, silently, whichever the furnisher meant.
    w = makeWorld({ programs: [MARKETPLACE] });
    const lines = readFileSync(join(SAMPLES, 'pay-2026-06.csv'), 'utf8').split('\n').slice(0, 4);
    const file = join(w.dir, 'pay.csv');
    writeFileSync(
      file,
      `${lines.map((l, i) => `${l},${i === 0 ? 'amount,note,note' : '999,a,b'}`).join('\n')}\n`,
    );
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'pay', file, '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /pay\.csv:1 amount: appears 2 times in the header \(columns 8, 14\).*\[CREDENCE_E_ROW_INVALID\]/,
    );
    expect(dumpDatabase(w.db)).toEqual(before);
    // A repeated column the mapping does not read is only extra.
    const other = join(w.dir, 'pay-notes.csv');
    writeFileSync(other, `${lines.map((l, i) => `${l},${i === 0 ? 'note,note' : 'a,b'}`).join('\n')}\n`);
    const ok = w.run(['import', 'pay', other, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 3, accepted: 3 });
  });
});
