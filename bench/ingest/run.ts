/**
 * Ingest benchmark: raw better-sqlite3 inserts of the same lines vs Credence's ingest, in one run.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/ingest/run.js [--people N] [--runs R]
 *
 * Writes the generated facts to bench/out/ and prints a Markdown table for BENCHMARKS.md.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rawInsert } from './baseline.js';
import { writeFacts } from './facts-file.js';
import { pipelineIngest } from './pipeline.js';

const { values } = parseArgs({
  options: { people: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' } },
});
const people = Number(values.people);
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '../../..');
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const file = join(out, `facts-${people}.jsonl`);
if (!existsSync(file)) await writeFacts(file, people);
const programs = ['marketplace', 'city-civic'].map((p) => join(root, `examples/programs/${p}.yaml`));

const fresh = (name: string): string => {
  const p = join(out, name);
  for (const s of ['', '-wal', '-shm']) rmSync(`${p}${s}`, { force: true });
  return p;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const raw: number[] = [];
const keyed: number[] = [];
const ours: number[] = [];
let lines = 0;
let peak = 0;
for (let r = 0; r < runs; r++) {
  const a = await rawInsert(file, fresh('raw.db'), false);
  raw.push(a.lines / a.seconds);
  const k = await rawInsert(file, fresh('raw-keyed.db'), true);
  keyed.push(k.lines / k.seconds);
  const p = await pipelineIngest([file], fresh('ingest.db'), programs);
  if (p.rejected > 0) throw new Error(`${p.rejected} lines refused`);
  ours.push(p.lines / p.seconds);
  lines = p.lines;
  peak = Math.max(peak, p.peakRssMb);
  console.error(
    `run ${r + 1}: raw ${Math.round(raw[r] ?? 0)}/s, keyed ${Math.round(keyed[r] ?? 0)}/s, ingest ${Math.round(ours[r] ?? 0)}/s`,
  );
}
const m = { raw: median(raw), keyed: median(keyed), ours: median(ours) };
console.log(
  `| ${people} people, ${lines} lines (${Math.round(statSync(file).size / 2 ** 20)} MB), median of ${runs}, ${cpus().length} cores |  |`,
);
console.log('| --- | --- |');
console.log(
  `| raw better-sqlite3: parse + insert into one table, one transaction | ${Math.round(m.raw)} lines/s |`,
);
console.log(`| raw, with the (source, id) primary key | ${Math.round(m.keyed)} lines/s |`);
console.log(`| credence ingest (parse, validate, resolve, score, persist) | ${Math.round(m.ours)} lines/s |`);
console.log(
  `| ratio to raw / to raw keyed | ${(m.ours / m.raw).toFixed(2)} / ${(m.ours / m.keyed).toFixed(2)} |`,
);
console.log(`| peak RSS of the ingest | ${peak} MB |`);
