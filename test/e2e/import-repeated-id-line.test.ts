import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
});
afterEach(() => w.dispose());

const HEAD =
  'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time';
const row = (id: string, amount: string, n = 1): string =>
  `${id},purchase,2026-06-21T05:45:00Z,shop:u${n},+86138001${String(n).padStart(5, '0')},,Na Wang,${amount},6,,,,`;
const conflicts = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.includes('[CREDENCE_E_FACT_CONFLICT]'));

describe('credence import: a record id repeated with another body (real binary)', () => {
  // The real import named the other row ("(line 2)"), the dry run did not: the same file read
  // two ways. And the dry run kept what it had seen per chunk of 5,000 facts, so a repeat further
  // apart passed as "would be new".
  it('is refused by the dry run in the words of the real import, naming the other line', () => {
    const file = join(w.dir, 'near.csv');
    writeFileSync(file, `${[HEAD, row('s-1', '1.5'), row('s-2', '2.5', 2), row('s-1', '9.5')].join('\n')}\n`);
    const dry = w.run(['import', 'shop', file, '--dry-run']);
    const real = w.run(['import', 'shop', file]);
    expect([dry.code, real.code]).toEqual([5, 5]);
    expect(conflicts(dry.stderr)).toEqual(conflicts(real.stderr));
    expect(conflicts(dry.stderr)).toEqual([
      `${file}:4 column record_id: shop already sent a different fact with id "s-1" (line 2) [CREDENCE_E_FACT_CONFLICT]`,
    ]);
  });

  it('a dry run finds a repeat more than a chunk of rows apart', () => {
    const file = join(w.dir, 'far.csv');
    const rows = Array.from({ length: 5001 }, (_, i) => row(`s-${i + 1}`, '1.5', (i % 50) + 1));
    writeFileSync(file, `${[HEAD, ...rows, row('s-1', '9.5')].join('\n')}\n`);
    const dry = w.run(['import', 'shop', file, '--dry-run']);
    expect(dry.code).toBe(5);
    expect(conflicts(dry.stderr)).toEqual([
      `${file}:5003 column record_id: shop already sent a different fact with id "s-1" (line 2) [CREDENCE_E_FACT_CONFLICT]`,
    ]);
    expect(dry.stdout).toContain('5001 would be new, 0 already stored, 1 refused');
  });
});
