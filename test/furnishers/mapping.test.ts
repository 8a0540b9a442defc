import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCredenceError } from '../../src/core/errors/index.js';
import {
  csvCell,
  type GridMapping,
  headerOf,
  isRefusal,
  loadMapping,
  type MappedFact,
  mapGridRow,
  readCsv,
} from '../../src/ingest/sources/index.js';

const ROOT = join(import.meta.dirname, '../..');
const shipped = (name: string) =>
  loadMapping(readFileSync(join(ROOT, 'examples/sources', name), 'utf8'), name);

async function problems(text: string): Promise<{ path?: string; line?: number; reason: string }[]> {
  try {
    await loadMapping(text, 'm.yaml');
  } catch (e) {
    if (isCredenceError(e)) return e.details.map((d) => ({ path: d.path, line: d.line, reason: d.reason }));
    throw e;
  }
  return [];
}

describe('source mappings', () => {
  it('every shipped mapping loads', async () => {
    for (const f of [
      'court.yaml',
      'debtor-register.yaml',
      'bureau.yaml',
      'pay.yaml',
      'shop.yaml',
      'ride.yaml',
    ]) {
      expect((await shipped(f)).source, f).toBe(f.replace('.yaml', ''));
    }
  });

  it('reports every problem with its path and line', async () => {
    const text = [
      'source: court',
      'kind: tribunal',
      'types: [court.blacklist_listed]',
      'subject: { nickname: name }',
      'events: { id: id, type: { const: court.other }, at: at }',
      'colour: blue',
    ].join('\n');
    const ps = await problems(text);
    expect(ps.some((p) => p.path === 'kind' && p.line === 2)).toBe(true);
    expect(ps.some((p) => /colour/.test(p.reason))).toBe(true);
    const semantic = await problems(text.replace('tribunal', 'court').replace('colour: blue', ''));
    expect(semantic).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'subject.nickname', line: 4 }),
        expect.objectContaining({
          path: 'events.type',
          reason: expect.stringMatching(/court.other.*not among/),
        }),
      ]),
    );
  });

  it('a delta mode without an action column is refused; YAML syntax errors carry their line', async () => {
    const m = readFileSync(join(ROOT, 'examples/sources/debtor-register.yaml'), 'utf8').replace(
      'mode: snapshot',
      'mode: delta',
    );
    expect((await problems(m)).map((p) => p.path)).toContain('register.action');
    expect((await problems('source: court\nkind: [x\n'))[0]?.line).toBeGreaterThan(0);
  });

  it('refuses a mapping that names special-category data in what it reads or says', async () => {
    // A neutral data field can still be fed from a "religion" column; a value table can turn the
    // source's "church_donation" rows into payments; the description can say what the facts are.
    // Each loaded, and its facts were scored as ordinary payments.
    const pay = readFileSync(join(ROOT, 'examples/sources/pay.yaml'), 'utf8');
    const text = pay
      .replace(/^description: .*$/m, 'description: Donations collected at the city mosque')
      .replace(
        '  full_name: { column: name, optional: true }',
        '  full_name: { column: name, optional: true }\n  address: { column: ethnic_group, optional: true }',
      )
      .replace('values: { payment: payment.completed,', 'values: { church_donation: payment.completed,')
      .replace(
        'identity.verified: { method: method }',
        'identity.verified: { method: { column: [religion, method] } }',
      )
      .replace(
        'payment.completed: { amount: { column: amount, type: number } }',
        "payment.completed: { amount: { column: amount, type: number }, note: { const: 'union dues' } }",
      );
    const ps = await problems(text);
    expect(ps.map((p) => p.path)).toEqual([
      'description',
      'subject.address.column',
      'events.type.values',
      'events.dataByType.payment.completed.note.const',
      'events.dataByType.identity.verified.method.column',
    ]);
    expect(ps.every((p) => /special-category data/.test(p.reason) && p.line !== undefined)).toBe(true);
    expect(ps.find((p) => p.path === 'events.type.values')?.reason).toMatch(
      /"church_donation" names religious worship/,
    );
  });
});

const bureau = (await shipped('bureau.yaml')) as GridMapping;

describe('repayment grids', () => {
  const m = bureau;
  const header = headerOf([
    'lender',
    'account_no',
    'instalment',
    'name',
    'national_id',
    'last_month',
    'repayment_grid',
  ]);
  const row = (grid: string, last = '2026-06') => [
    'bank',
    'A1',
    '100',
    '王伟',
    '11010519491231002X',
    last,
    grid,
  ];

  it('turns each month into its fact, oldest first, and leaves unknown months out', () => {
    const facts = mapGridRow(m, header, 2, row(`${'/'.repeat(17)}/N12#DC`, '2026-06')) as MappedFact[];
    // 24 months ending 2026-06, the last seven: '/' Dec, N Jan, 1 Feb, 2 Mar, # Apr, D May, C Jun.
    expect(facts.map((f) => [f.id, f.type, f.data.cycle ?? f.data.how ?? null])).toEqual([
      ['bank|A1#2026-01', 'loan.repaid', null],
      ['bank|A1#2026-02', 'loan.overdue', 1],
      ['bank|A1#2026-03', 'loan.overdue', 2],
      ['bank|A1#2026-05', 'loan.defaulted', null],
      ['bank|A1#2026-06', 'loan.settled', 'C'],
    ]);
    expect(new Date((facts[0] as MappedFact).at).toISOString()).toBe('2026-01-27T16:00:00.000Z');
  });

  it('next month repeats 23 months with the same ids and bodies', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[N1-7CGDZ#*/]{24}$/), fc.constantFrom('N', '1', '#'), (grid, next) => {
        const june = mapGridRow(m, header, 2, row(grid, '2026-06')) as MappedFact[];
        const july = mapGridRow(m, header, 2, row(grid.slice(1) + next, '2026-07')) as MappedFact[];
        const key = (f: MappedFact) => JSON.stringify([f.id, f.type, f.at, f.data]);
        const juneKeys = new Set(june.filter((f) => !f.id.endsWith('2024-07')).map(key));
        const shared = july.filter((f) => !f.id.endsWith('2026-07')).map(key);
        expect(new Set(shared)).toEqual(juneKeys);
      }),
    );
  });

  it('refuses a character outside the legend, naming the column and position', () => {
    const r = mapGridRow(m, header, 7, row('NNXN'));
    expect(isRefusal(r) && r).toMatchObject({
      line: 7,
      column: 'repayment_grid',
      reason: expect.stringMatching(/character 3 "X"/),
    });
  });

  it('refuses a negative instalment, naming the column, and keeps a zero one', () => {
    const negative = [...row(`${'N'.repeat(23)}1`)];
    negative[2] = '-100';
    expect(isRefusal(mapGridRow(m, header, 9, negative)) && mapGridRow(m, header, 9, negative)).toMatchObject(
      {
        line: 9,
        column: 'instalment',
        reason: expect.stringMatching(/negative/),
      },
    );
    const zero = [...row(`${'N'.repeat(23)}1`)];
    zero[2] = '0';
    expect(isRefusal(mapGridRow(m, header, 9, zero))).toBe(false);
  });
});

describe('CSV reading', () => {
  const cell = fc.string({ maxLength: 12 }).map((s) => s.replace(/\r/g, ''));
  it('reads back what csvCell wrote, whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        async (rows, cuts) => {
          const width = (rows[0] as string[]).length;
          const table = [
            Array.from({ length: width }, (_, i) => `c${i}`),
            ...rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')),
          ];
          const text = `${table.map((r) => r.map((c) => csvCell(c)).join(',')).join('\n')}\n`;
          const pieces: string[] = [];
          let at = 0;
          for (let i = 0; at < text.length; i++) {
            const n = cuts[i % cuts.length] as number;
            pieces.push(text.slice(at, at + n));
            at += n;
          }
          const got: string[][] = [];
          for await (const chunk of readCsv(Readable.from(pieces)))
            for (const r of chunk.rows) got.push([...r.cells]);
          // A row of blank cells, unquoted (a spreadsheet's empty row, `,,,`), is a blank line,
          // which is skipped.
          expect(got).toEqual(table.filter((r) => !r.every((c) => /^[ \t]*$/.test(c))));
        },
      ),
    );
  });
});
