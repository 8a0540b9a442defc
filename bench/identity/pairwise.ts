/**
 * Pairwise precision, recall and F1 of a clustering against the truth. With `link`, only
 * pairs across groups (file A with file B) count, as in a linkage task.
 */
export function pairwiseScores(
  rows: { id: string; predicted: string; truth: string; group: string }[],
  link: boolean,
): { precision: number; recall: number; f1: number; truePairs: number; predicted: number; correct: number } {
  const pairs = (key: (r: (typeof rows)[number]) => string) => {
    const byKey = new Map<string, (typeof rows)[number][]>();
    for (const r of rows) {
      const k = key(r);
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
    let n = 0;
    for (const list of byKey.values()) {
      if (!link) n += (list.length * (list.length - 1)) / 2;
      else {
        const counts = new Map<string, number>();
        for (const r of list) counts.set(r.group, (counts.get(r.group) ?? 0) + 1);
        const c = [...counts.values()];
        let sum = 0;
        let sq = 0;
        for (const x of c) {
          sum += x;
          sq += x * x;
        }
        n += (sum * sum - sq) / 2;
      }
    }
    return n;
  };
  const predicted = pairs((r) => r.predicted);
  const truePairs = pairs((r) => r.truth);
  const correct = pairs((r) => `${r.predicted}\u0001${r.truth}`);
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predicted, correct };
}
