import { resolveBatch } from '../../src/identity/index.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';
import { pairwiseScores } from './pairwise.js';

/** F1 on the generated Chinese-context set (twins, many 王伟, pinyin variants, changed phones, ID typos). */
export function runChinese(persons = Number(process.env.PERSONS ?? 5000), seed = 7) {
  const data = generateChinesePeople({ persons, seed });
  const res = resolveBatch(data.map((d) => d.record));
  const truth = new Map(data.map((d) => [d.record.record_id, String(d.person)]));
  const s = pairwiseScores(
    res.map((r) => ({
      id: r.recordId,
      predicted: r.subjectId,
      truth: truth.get(r.recordId) as string,
      group: '',
    })),
    false,
  );
  return { persons, records: data.length, ...s, review: res.filter((r) => r.decision === 'review').length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runChinese();
  console.log(
    `chinese\tpersons=${r.persons}\trecords=${r.records}\tP=${r.precision.toFixed(4)}\tR=${r.recall.toFixed(4)}\tF1=${r.f1.toFixed(4)}\ttrue=${r.truePairs}\tpredicted=${r.predicted}\treview=${r.review}`,
  );
}
