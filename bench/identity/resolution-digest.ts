/**
 * A digest of every decision the identity engine makes on a generated population, and the time
 * it took: each distinct subject representation of `credence generate --people N`, resolved in
 * arrival order the way ingest runs the engine, then a restore of the same records. A change
 * meant to make the engine faster without changing what it decides must print the same digest
 * as the build before it (run both builds here, one after the other).
 *
 * The digest covers each resolution in full (person, decision, confidence, matched record,
 * evidence, merges, refusals, review candidates), the decision log, and what the restored engine
 * answers for every record.
 *
 * Usage: node dist-bench/bench/identity/resolution-digest.js [--people 50000] [--runs 3]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  defaultModel,
  type PersonRecord,
  Resolver,
  type ResolverSnapshot,
} from '../../src/identity/index.js';
import { generatedRecords } from './generated-records.js';

const { values } = parseArgs({
  options: { people: { type: 'string', default: '50000' }, runs: { type: 'string', default: '3' } },
});

const records = generatedRecords(Number(values.people));

// As ingest runs it (`restoreResolver`): the default model, its term frequencies frozen.
const opts = { keepRecords: false, rawMemo: false, contentIds: true } as const;
const times: number[] = [];
const restores: number[] = [];
let digest = '';
for (let run = 0; run < Number(values.runs); run++) {
  const h = createHash('sha256');
  const resolver = new Resolver({ ...opts, model: defaultModel(), termFrequencies: 'model' });
  const stored: ResolverSnapshot['records'] = [];
  const t0 = process.cpuUsage();
  const out = records.map((r) => resolver.resolve(r));
  const c = process.cpuUsage(t0);
  times.push((c.user + c.system) / records.length);
  for (const res of out) h.update(JSON.stringify(res));
  h.update(JSON.stringify(resolver.decisions()));
  for (let i = 0; i < records.length; i++) {
    const res = out[i] as (typeof out)[number];
    stored.push({
      record: records[i] as PersonRecord,
      subjectId: resolver.subjectOf(res.recordId) as string,
      decision: res.decision,
      confidence: res.confidence,
      ...(res.matchedRecordId ? { matchedRecordId: res.matchedRecordId } : {}),
    });
  }
  const r0 = process.cpuUsage();
  const restored = Resolver.restore(
    {
      version: 1,
      model: defaultModel(),
      liveTermFrequencies: false,
      nextSeq: 1,
      records: stored,
      ...resolver.operatorState(),
      reviews: resolver.reviewQueue(),
      decisions: [...resolver.decisions()],
    },
    opts,
  );
  const rc = process.cpuUsage(r0);
  restores.push((rc.user + rc.system) / records.length);
  for (const r of records) h.update(JSON.stringify(restored.explain(r.record_id)));
  const d = h.digest('hex');
  if (digest && d !== digest) throw new Error(`run ${run + 1} decided differently from run 1`);
  digest = d;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(
  JSON.stringify({
    people: Number(values.people),
    records: records.length,
    digest,
    resolveCpuUsPerRecord: Number(median(times).toFixed(1)),
    restoreCpuUsPerRecord: Number(median(restores).toFixed(1)),
    runs: times.map((t) => Number(t.toFixed(1))),
  }),
);
