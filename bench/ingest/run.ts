/**
 * Ingest benchmark: raw better-sqlite3 inserts of the same lines vs Credence's ingest, in one run.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/ingest/run.js [--people N] [--runs R]
 *
 * Writes the generated facts to bench/out/ and prints a Markdown table for BENCHMARKS.md.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
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

interface Rates {
  wall: number[];
  cpu: number[];
}
const rates = (): Rates => ({ wall: [], cpu: [] });
const raw = rates();
const keyed = rates();
const ours = rates();
const add = (r: Rates, x: { lines: number; seconds: number; cpuSeconds: number }): void => {
  r.wall.push(x.lines / x.seconds);
  r.cpu.push(x.lines / x.cpuSeconds);
};
let lines = 0;
let peak = 0;
for (let r = 0; r < runs; r++) {
  add(raw, await rawInsert(file, fresh('raw.db'), false));
  add(keyed, await rawInsert(file, fresh('raw-keyed.db'), true));
  const p = await pipelineIngest([file], fresh('ingest.db'), programs);
  if (p.rejected > 0) throw new Error(`${p.rejected} lines refused`);
  add(ours, p);
  lines = p.lines;
  peak = Math.max(peak, p.peakRssMb);
  console.error(
    `run ${r + 1}: raw ${Math.round(raw.wall[r] ?? 0)}/s, keyed ${Math.round(keyed.wall[r] ?? 0)}/s, ingest ${Math.round(ours.wall[r] ?? 0)}/s (wall)`,
  );
}
const fmt = (r: Rates): string => `${Math.round(median(r.wall))} | ${Math.round(median(r.cpu))}`;
const ratio = (a: Rates, b: Rates): string =>
  `${(median(a.wall) / median(b.wall)).toFixed(2)} | ${(median(a.cpu) / median(b.cpu)).toFixed(2)}`;
console.log(
  `${people} people, ${lines} lines (${Math.round(statSync(file).size / 2 ** 20)} MB), median of ${runs} runs, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}\n`,
);
console.log('| lines/s | wall | per CPU second |');
console.log('| --- | --- | --- |');
console.log(`| raw better-sqlite3: parse + insert into one table, one transaction | ${fmt(raw)} |`);
console.log(`| raw, with the (source, id) primary key | ${fmt(keyed)} |`);
console.log(`| credence ingest (parse, validate, resolve, score, persist) | ${fmt(ours)} |`);
console.log(`| credence ingest / raw | ${ratio(ours, raw)} |`);
console.log(`| credence ingest / raw keyed | ${ratio(ours, keyed)} |`);
console.log(`\npeak RSS of the ingest: ${peak} MB`);
