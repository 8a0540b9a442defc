import { Resolver, trainModel } from '../../src/identity/index.js';
import { compileModel } from '../../src/identity/match/model.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';

const data = generateChinesePeople({ persons: 5000, seed: 7 });
const truth = new Map(data.map((d) => [d.record.record_id, d.person]));
const records = data.map((d) => d.record);
const model = trainModel(records);
const cm = compileModel(model);
console.log('lambda', model.lambda, 'link', cm.linkWeight, 'review', cm.reviewWeight);
for (const [i, c] of model.comparisons.entries()) {
  console.log(
    c.field,
    c.levels.map((l, j) => `${l}:${cm.weights[i]?.[j]?.toFixed(2)} (m=${c.m[j]?.toFixed(3)})`).join('  '),
  );
}
const r = new Resolver({ model });
let fp = 0;
const _fn = 0;
for (const rec of records) {
  const res = r.resolve(rec);
  if (
    res.matchedRecordId &&
    res.decision !== 'review' &&
    truth.get(res.matchedRecordId) !== truth.get(rec.record_id)
  ) {
    if (fp++ < 5)
      console.log(
        'FP',
        JSON.stringify(rec),
        res.matchedRecordId,
        JSON.stringify(records[Number(res.matchedRecordId.slice(1))]),
        res.confidence,
        res.evidence.map((e) => `${e.field}:${e.outcome}:${e.weight}`).join(' | '),
      );
  }
  if (res.merged) console.log('merged', res.merged.length);
}
console.log('fp', fp);
console.log('u national', model.comparisons[4]?.u, 'm', model.comparisons[4]?.m);
let shown = 0;
for (const rec of records) {
  const res = r.explain(rec.record_id);
  if (res?.decision === 'review' && shown++ < 6) {
    console.log(
      'REVIEW',
      JSON.stringify(rec),
      '\n   vs',
      res.matchedRecordId,
      JSON.stringify(
        res.reviewCandidates?.[0]?.evidence
          .filter((e) => e.outcome !== 'missing')
          .map((e) => `${e.field}:${e.outcome}:${e.weight}:${e.detail}`),
      ),
    );
  }
}
