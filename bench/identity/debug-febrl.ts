import { Resolver, trainModel } from '../../src/identity/index.js';
import { compileModel } from '../../src/identity/match/model.js';
import { readFebrl, truthOf } from './febrl.js';

const files = (process.argv[2] ?? 'dataset4a.csv,dataset4b.csv').split(',');
const records = files.flatMap((f, i) =>
  readFebrl(f).map((r) => ({ ...r, record_id: `${i}:${r.record_id}` })),
);
const model = trainModel(records);
const cm = compileModel(model);
console.log(
  'lambda',
  model.lambda,
  'prior',
  cm.priorWeight,
  'link',
  cm.linkWeight,
  'review',
  cm.reviewWeight,
);
for (const [i, c] of model.comparisons.entries()) {
  console.log(
    c.field,
    c.levels
      .map(
        (l, j) =>
          `${l}:${cm.weights[i]?.[j]?.toFixed(2)} (m=${c.m[j]?.toFixed(4)} u=${c.u[j]?.toExponential(2)})`,
      )
      .join('  '),
  );
}
const r = new Resolver({ model });
let fp = 0;
for (const rec of records) {
  const res = r.resolve(rec);
  if (
    res.matchedRecordId &&
    truthOf(res.matchedRecordId.slice(2)) !== truthOf(rec.record_id.slice(2)) &&
    fp++ < 6
  ) {
    console.log(
      'FP',
      rec.record_id,
      res.matchedRecordId,
      res.confidence,
      res.evidence.map((e) => `${e.field}:${e.outcome}:${e.weight} ${e.detail ?? ''}`).join(' | '),
    );
  }
}
console.log('fp', fp);
