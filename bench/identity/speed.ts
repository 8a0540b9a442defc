import { loadavg } from 'node:os';
import { estimateModel, type Profile, Resolver, toProfile } from '../../src/identity/index.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';
import { pairwiseScores } from './pairwise.js';

/**
 * 1M records deduplicated in one batch (model estimated from the data, then every record
 * resolved, as resolveBatch does), then single new records resolved against everyone known.
 * Run: npx tsc -p tsconfig.bench.json &&
 *   node --max-old-space-size=12000 --max-semi-space-size=64 dist-bench/bench/identity/speed.js
 */
const persons = Number(process.env.PERSONS ?? 400_000);
const t0 = performance.now();
const data = generateChinesePeople({ persons, seed: 99 });
const records = data.map((d) => d.record);
const genMs = performance.now() - t0;

// The same steps as resolveBatch (normalise once, estimate, resolve in order), kept apart to time them.
const t1 = performance.now();
const c1 = process.cpuUsage();
const profiles = records.map((r) => toProfile(r));
const model = estimateModel(profiles);
const t2 = performance.now();
const resolver = new Resolver({ model });
for (const [i, r] of records.entries())
  resolver.resolve(r, { evidence: false, profile: profiles[i] as Profile });
const t3 = performance.now();
const batchCpu = process.cpuUsage(c1);

const truth = new Map(data.map((d) => [d.record.record_id, String(d.person)]));
const s = pairwiseScores(
  records.map((r) => ({
    id: r.record_id,
    predicted: resolver.subjectOf(r.record_id) as string,
    truth: truth.get(r.record_id) as string,
    group: '',
  })),
  false,
);

// New arrivals: fresh people and new records of known people, resolved one at a time.
const fresh = generateChinesePeople({ persons: 8000, seed: 12345 }).map((d, i) => ({
  ...d.record,
  record_id: `new-${i}`,
}));
// Wall time per call, and CPU time per call: on a shared machine the wall time also counts
// the moments the process was not scheduled at all.
const times: number[] = [];
const cpuTimes: number[] = [];
for (const r of fresh) {
  const c = process.cpuUsage();
  const a = performance.now();
  resolver.resolve(r, { evidence: false });
  times.push(performance.now() - a);
  const u = process.cpuUsage(c);
  cpuTimes.push((u.user + u.system) / 1000);
}
cpuTimes.sort((a, b) => a - b);
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p99 = times[Math.floor(times.length * 0.99)] as number;
const p50 = times[Math.floor(times.length * 0.5)] as number;

console.log(
  JSON.stringify(
    {
      records: records.length,
      persons,
      generateSeconds: +(genMs / 1000).toFixed(1),
      normaliseAndTrainSeconds: +((t2 - t1) / 1000).toFixed(1),
      resolveSeconds: +((t3 - t2) / 1000).toFixed(1),
      batchSeconds: +((t3 - t1) / 1000).toFixed(1),
      batchCpuSeconds: +((batchCpu.user + batchCpu.system) / 1e6).toFixed(1),
      recordsPerSecond: Math.round(records.length / ((t3 - t1) / 1000)),
      precision: +s.precision.toFixed(4),
      recall: +s.recall.toFixed(4),
      f1: +s.f1.toFixed(4),
      singleRecord: {
        count: times.length,
        meanMs: +mean.toFixed(3),
        p50Ms: +p50.toFixed(3),
        p99Ms: +p99.toFixed(3),
      },
      singleRecordCpu: {
        meanMs: +(cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length).toFixed(3),
        p99Ms: +(cpuTimes[Math.floor(cpuTimes.length * 0.99)] as number).toFixed(3),
      },
      loadAverage: loadavg().map((x) => +x.toFixed(1)),
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    },
    null,
    1,
  ),
);
