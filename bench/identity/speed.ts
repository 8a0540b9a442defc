import { loadavg as loadNow } from 'node:os';
import { BatchResolution } from '../../src/identity/index.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';
import { pairwiseScores } from './pairwise.js';

/**
 * 1M records deduplicated in one batch (normalised, model estimated from the data's distinct
 * profiles, then every record resolved, as resolveBatch does), then single new records
 * resolved against everyone known.
 * Run: npx tsc -p tsconfig.bench.json &&
 *   node --max-old-space-size=12000 --max-semi-space-size=64 dist-bench/bench/identity/speed.js
 * PERSONS (default 400,000: about 1M records); PARALLEL=0 keeps the batch on one thread,
 * SPLIT_NORMALISE=1 has the worker thread normalise too. CPU seconds are the whole process's,
 * all threads.
 */
const persons = Number(process.env.PERSONS ?? 400_000);
const loadavg = () => loadNow().map((x) => +x.toFixed(1));
const loadAtStart = loadavg();
const t0 = performance.now();
const data = generateChinesePeople({ persons, seed: 99 });
const records = data.map((d) => d.record);
const genMs = performance.now() - t0;

// resolveBatch's steps (normalise once, estimate, resolve in order), timed one by one. With
// a worker thread (from 50,000 records) CPU counts both threads.
const cpuS = (c: NodeJS.CpuUsage) => +((c.user + c.system) / 1e6).toFixed(1);
const batch = new BatchResolution(records, {
  evidence: false,
  ...(process.env.PARALLEL === '0' ? { parallel: false as const } : {}),
  ...(process.env.SPLIT_NORMALISE === '1' ? { parallel: { normalise: true } } : {}),
});
const t1 = performance.now();
const c1 = process.cpuUsage();
batch.normalise();
const tN = performance.now();
const cN = process.cpuUsage(c1);
batch.estimate();
const t2 = performance.now();
const cT = process.cpuUsage(c1);
const decisions = new Map<string, number>();
const resolver = batch.resolve((res) => decisions.set(res.decision, (decisions.get(res.decision) ?? 0) + 1));
const t3 = performance.now();
const batchCpu = process.cpuUsage(c1);
const reviewQueue = resolver.reviewQueue();
const reviewItems = reviewQueue.length;

const truth = new Map(data.map((d) => [d.record.record_id, String(d.person)]));
// Is the review queue holding the uncertain cases? For each item: is its strongest candidate
// truly the record's person (near 1: the thresholds send clear matches to operators; near 0:
// the queue is full of strangers)?
let reviewSame = 0;
for (const item of reviewQueue) {
  const cand = item.candidates[0]?.subjectId;
  const candRecord = cand === undefined ? undefined : resolver.recordsOf(cand)[0];
  if (candRecord !== undefined && truth.get(candRecord) === truth.get(item.recordId)) reviewSame++;
}
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
      normaliseSeconds: +((tN - t1) / 1000).toFixed(1),
      trainSeconds: +((t2 - tN) / 1000).toFixed(1),
      resolveSeconds: +((t3 - t2) / 1000).toFixed(1),
      batchSeconds: +((t3 - t1) / 1000).toFixed(1),
      normaliseCpuSeconds: cpuS(cN),
      trainCpuSeconds: +(cpuS(cT) - cpuS(cN)).toFixed(1),
      resolveCpuSeconds: +(cpuS(batchCpu) - cpuS(cT)).toFixed(1),
      batchCpuSeconds: cpuS(batchCpu),
      chunks: batch.chunks,
      decisions: Object.fromEntries(decisions),
      reviewItems,
      reviewPersonsShare: +(reviewItems / persons).toFixed(4),
      reviewTopCandidateIsTheSamePerson: +(reviewSame / Math.max(1, reviewItems)).toFixed(4),
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
      loadAverageAtStart: loadAtStart,
      loadAverage: loadavg(),
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    },
    null,
    1,
  ),
);
