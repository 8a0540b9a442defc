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
let prev2 = new Int32Array(64);
let prev = new Int32Array(64);
let cur = new Int32Array(64);
let codesA = new Uint16Array(64);
let codesB = new Uint16Array(64);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function osa(a: string, b: string): number {
  if (a.length > codesA.length) codesA = new Uint16Array(a.length);
  if (b.length > codesB.length) codesB = new Uint16Array(b.length);
  for (let i = 0; i < a.length; i++) codesA[i] = a.charCodeAt(i);
  for (let j = 0; j < b.length; j++) codesB[j] = b.charCodeAt(j);
  return osaCodes(codesA, 0, a.length, codesB, 0, b.length);
}

/** `osa` over two runs of character codes (`n` codes of `a` from `as`, `m` of `b` from `bs`). */
export function osaCodes(
  a: Uint16Array,
  as: number,
  n: number,
  b: Uint16Array,
  bs: number,
  m: number,
): number {
  if (m + 1 > cur.length) {
    prev2 = new Int32Array(m + 1);
    prev = new Int32Array(m + 1);
    cur = new Int32Array(m + 1);
  }
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ai = a[as + i - 1] as number;
    for (let j = 1; j <= m; j++) {
      const bj = b[bs + j - 1] as number;
      const cost = ai === bj ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b[bs + j - 2] && a[as + i - 2] === bj) {
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
