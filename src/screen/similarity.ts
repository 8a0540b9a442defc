/**
 * Similarity of two name parts in [0, 1]: 1 when equal, else 1 − (optimal string alignment
 * distance ÷ the longer length), so one slip in a long name costs little and in a short one a
 * lot: `habbash`/`bush` share little (0.43), `zhnag`/`zhang` one transposition (0.8).
 *
 * @example
 * tokenSimilarity('jianhua', 'jainhua') // 0.857…
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  if (Math.abs(n - m) > 2) return 1 - Math.abs(n - m) / Math.max(n, m) - 0.1;
  return 1 - osa(a, b) / Math.max(n, m);
}

// Rows reused across calls: the screener compares millions of pairs.
let prev2 = new Int32Array(32);
let prev = new Int32Array(32);
let cur = new Int32Array(32);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function osa(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (m + 1 > cur.length) {
    prev2 = new Int32Array(m + 1);
    prev = new Int32Array(m + 1);
    cur = new Int32Array(m + 1);
  }
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}
