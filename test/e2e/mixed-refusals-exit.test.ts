import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
});
afterEach(() => w.dispose());

const fact = (amount: number): string =>
  JSON.stringify({
    id: 'tx-1',
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-06-01T10:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { amount, counterparty: 'shop', on_time: true },
  });

const HEAD =
  'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time';
const row = (id: string, amount: string): string =>
  `${id},purchase,2026-06-21T05:45:00Z,shop:wangnag39,+8615671030745,,Na Wang,${amount},6,,,,`;

describe('a run with refusals of several kinds (real binary)', () => {
  // The exit status was the first refused line's: a conflict (5) after a plain invalid line came
  // out as 3, and the same lines in another order as 5.
  it('ingest exits with the gravest, in any order of the lines', () => {
    const bad = '{"id": ';
    for (const [name, lines] of [
      ['invalid first', [fact(1), bad, fact(2)]],
      ['conflict first', [fact(1), fact(2), bad]],
      ['invalid before all', [bad, fact(1), fact(2)]],
    ] as const) {
      const file = join(w.dir, `${name.replaceAll(' ', '-')}.jsonl`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = w.run(['ingest', file]);
      expect(r.stderr, name).toContain('[CREDENCE_E_FACT_JSON]');
      expect(r.stderr, name).toContain('[CREDENCE_E_FACT_CONFLICT]');
      expect(r.code, name).toBe(5);
    }
  });

  it('import exits with the gravest, in any order of the rows', () => {
    for (const [name, rows] of [
      ['invalid first', [row('s-1', 'lots'), row('s-2', '1.5'), row('s-2', '2.5')]],
      ['conflict first', [row('s-2', '1.5'), row('s-2', '2.5'), row('s-1', 'lots')]],
    ] as const) {
      const file = join(w.dir, `${name.replaceAll(' ', '-')}.csv`);
      writeFileSync(file, `${[HEAD, ...rows].join('\n')}\n`);
      const r = w.run(['import', 'shop', file]);
      expect(r.stderr, name).toContain('[CREDENCE_E_ROW_INVALID]');
      expect(r.stderr, name).toContain('[CREDENCE_E_FACT_CONFLICT]');
      expect(r.code, name).toBe(5);
    }
  });

  it('leaves a run with refusals of one kind exiting with its code', () => {
    const invalid = join(w.dir, 'invalid.csv');
    writeFileSync(invalid, `${[HEAD, row('s-1', 'lots'), row('s-3', 'many')].join('\n')}\n`);
    expect(w.run(['import', 'shop', invalid]).code).toBe(3);
    const conflict = join(w.dir, 'conflict.csv');
    writeFileSync(conflict, `${[HEAD, row('s-4', '1'), row('s-4', '2')].join('\n')}\n`);
    expect(w.run(['import', 'shop', conflict]).code).toBe(5);
  });
});
