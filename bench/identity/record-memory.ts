/**
 * Memory and time per identity record as `credence ingest` holds them: every distinct subject
 * representation of the generator's facts for N people resolved by the engine, in arrival order,
 * the way ingest's resolver runs it (records' raw fields not kept, ids derived from content), or with `--keep` the way a
 * library caller with `snapshot()` does. Heap is measured after full collections, before the records
 * are built and after they are all resolved and dropped, in one process; the typed arrays (columns, blocking index) are reported apart.
 *
 * Usage: node --expose-gc dist-bench/bench/identity/record-memory.js [--people 50000] [--keep]
 */
import { parseArgs } from 'node:util';
import { Resolver } from '../../src/identity/index.js';
import type { PersonRecord } from '../../src/identity/types.js';
import { generatedRecords } from './generated-records.js';

const { values } = parseArgs({
  options: { people: { type: 'string', default: '50000' }, keep: { type: 'boolean', default: false } },
});
const expose = (globalThis as { gc?: () => void }).gc;
if (!expose) throw new Error('run with node --expose-gc');
const collect = expose;
// Array buffers are swept after the collection that finds them dead: collect, let the sweeper
// run, collect again, so the figure does not depend on when the last growth happened.
async function gc(): Promise<void> {
  collect();
  await new Promise((r) => setTimeout(r, 200));
  collect();
}

await gc();
const before = process.memoryUsage();
const records: (PersonRecord | undefined)[] = generatedRecords(Number(values.people));

const resolver = new Resolver(values.keep ? {} : { keepRecords: false, rawMemo: false, contentIds: true });
const t0 = performance.now();
const c0 = process.cpuUsage();
// Each record is dropped once resolved, as ingest drops the one it builds per new representation.
for (let i = 0; i < records.length; i++) {
  resolver.resolve(records[i] as PersonRecord);
  records[i] = undefined;
}
const cpu = process.cpuUsage(c0);
const ms = performance.now() - t0;
const n = records.length;
records.length = 0;
await gc();
const after = process.memoryUsage();
const heap = after.heapUsed - before.heapUsed;
const buffers = after.arrayBuffers - before.arrayBuffers;
console.log(
  JSON.stringify({
    people: Number(values.people),
    records: resolver.recordCount,
    keepRecords: values.keep,
    heapBytesPerRecord: Math.round(heap / n),
    typedArrayBytesPerRecord: Math.round(buffers / n),
    usPerRecord: Number(((ms * 1000) / n).toFixed(1)),
    cpuUsPerRecord: Number(((cpu.user + cpu.system) / n).toFixed(1)),
    revision: process.env.GIT_REV,
  }),
);
