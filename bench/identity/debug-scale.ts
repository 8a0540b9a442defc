import { Resolver, toProfile, trainModel } from '../../src/identity/index.js';
import { compileModel } from '../../src/identity/match/model.js';
import { PairScorer, TermFrequencies } from '../../src/identity/match/scorer.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';

// Shows the wrong links at scale, with their evidence, to see what the model gets wrong.
const data = generateChinesePeople({ persons: Number(process.env.PERSONS ?? 100_000), seed: 99 });
const truth = new Map(data.map((d) => [d.record.record_id, d.person]));
const records = data.map((d) => d.record);
const model = trainModel(records);
const cm = compileModel(model);
console.log('lambda', model.lambda, 'link', cm.linkWeight, 'review', cm.reviewWeight);
const r = new Resolver({ model });
const scorer = new PairScorer(model, TermFrequencies.from(model.tf));
const firstOf = new Map<string, string>();
let fp = 0;
let mergedFp = 0;
const kinds = new Map<string, number>();
for (const rec of records) {
  const res = r.resolve(rec, { evidence: false });
  if (!firstOf.has(res.subjectId)) firstOf.set(res.subjectId, rec.record_id);
  for (const m of res.merged ?? []) {
    const other = firstOf.get(m) as string;
    if (truth.get(other) === truth.get(rec.record_id)) continue;
    mergedFp++;
    if (mergedFp <= 6) {
      const otherRec = records[Number(other.slice(1))] as (typeof records)[number];
      const ev = scorer.evidence(toProfile(rec), toProfile(otherRec));
      console.log(
        'BAD MERGE',
        res.decision,
        JSON.stringify(rec),
        '\n   ',
        JSON.stringify(otherRec),
        '\n   ',
        ev
          .filter((e) => e.outcome !== 'missing')
          .map((e) => `${e.field}:${e.outcome}:${e.weight}`)
          .join(' | '),
      );
    }
  }
  if (
    res.matchedRecordId &&
    res.decision !== 'review' &&
    truth.get(res.matchedRecordId) !== truth.get(rec.record_id)
  ) {
    fp++;
    const ex = r.explain(rec.record_id);
    const sig =
      ex?.evidence
        .filter((e) => e.outcome !== 'missing' && e.field !== 'validation')
        .map((e) => `${e.field}:${e.outcome}`)
        .join(' ') ?? '';
    kinds.set(sig, (kinds.get(sig) ?? 0) + 1);
    if (fp <= 4)
      console.log(
        'FP',
        JSON.stringify(rec),
        JSON.stringify(records[Number(ex?.matchedRecordId?.slice(1))]),
        ex?.evidence.map((e) => `${e.field}:${e.outcome}:${e.weight}`).join(' | '),
      );
  }
}
console.log('fp', fp, 'merges', mergedFp);
console.log([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12));
