import { isPinyinSyllable } from './pinyin-syllables.js';
import { osaCodes } from './similarity.js';

/** Below this similarity two name parts are not aligned at all (`bush` and `habbash` are not). */
export const TOKEN_THRESHOLD = 0.7;

/**
 * The units of one name (its parts, then each two neighbours joined) as character codes in one
 * flat buffer, reused from call to call: the screener aligns hundreds of listed names per query
 * and only needs the score, so it builds no strings, pairs or part objects.
 */
export class NameUnits {
  chars = new Uint16Array(128);
  start = new Int32Array(16);
  len = new Int32Array(16);
  from = new Int32Array(16);
  to = new Int32Array(16);
  /** Per name part: 1 when it is one whole pinyin syllable (see `similarity`). */
  syllable = new Uint8Array(16);
  /** Units, then name parts. */
  count = 0;
  parts = 0;
  /** Letters of the name's parts (joined units not counted twice). */
  letters = 0;

  /** Fills the buffer with the units of `tokens`, in the order `alignNames` makes them. */
  fill(tokens: readonly string[]): this {
    const n = tokens.length;
    const units = n > 0 ? 2 * n - 1 : 0;
    if (units > this.start.length) this.#growUnits(units);
    let chars = 0;
    for (const t of tokens) chars += t.length;
    if (chars * 3 > this.chars.length) this.chars = new Uint16Array(chars * 3);
    let at = 0;
    let letters = 0;
    for (let i = 0; i < n; i++) {
      const t = tokens[i] as string;
      this.start[i] = at;
      this.len[i] = t.length;
      this.from[i] = i;
      this.to[i] = i;
      this.syllable[i] = isPinyinSyllable(t) ? 1 : 0;
      for (let k = 0; k < t.length; k++) this.chars[at++] = t.charCodeAt(k);
      letters += t.length;
    }
    // A joined unit is its two parts' characters side by side.
    for (let i = 0; i + 1 < n; i++) {
      const u = n + i;
      this.start[u] = at;
      const a = this.start[i] as number;
      const la = this.len[i] as number;
      const lb = this.len[i + 1] as number;
      for (let k = 0; k < la + lb; k++) this.chars[at++] = this.chars[a + k] as number;
      this.len[u] = la + lb;
      this.from[u] = i;
      this.to[u] = i + 1;
    }
    this.count = units;
    this.parts = n;
    this.letters = letters;
    return this;
  }

  #growUnits(n: number): void {
    this.start = new Int32Array(n * 2);
    this.len = new Int32Array(n * 2);
    this.from = new Int32Array(n * 2);
    this.to = new Int32Array(n * 2);
    this.syllable = new Uint8Array(n * 2);
  }
}

// Scratch shared by every call (single-threaded): pairs, their order, and the parts used.
let pairQ = new Int32Array(64);
let pairC = new Int32Array(64);
let pairS = new Float64Array(64);
let order = new Int32Array(64);
let usedQ = new Uint8Array(16);
let usedC = new Uint8Array(16);
/** The pairs the last `alignScore` chose (positions in `order`), best first. */
let chosen = new Int32Array(64);
let chosenCount = 0;

/**
 * `alignNames(q, c).score`, computed without allocating: the screener aligns hundreds of listed
 * names per query and ranks on the score alone. `alignNames` builds its parts from the pairs
 * this leaves in `alignedPairs`, so the two cannot disagree.
 *
 * @example
 * const q = new NameUnits().fill(['wang', 'wei']);
 * alignScore(q, new NameUnits().fill(['wei', 'wang'])) // 1
 */
export function alignScore(q: NameUnits, c: NameUnits): number {
  const most = q.count * c.count;
  if (most > pairQ.length) {
    pairQ = new Int32Array(most * 2);
    pairC = new Int32Array(most * 2);
    pairS = new Float64Array(most * 2);
    order = new Int32Array(most * 2);
    chosen = new Int32Array(most * 2);
  }
  // Every pair of units similar enough (a joined unit only ever pairs with a single part: that
  // is what joining is for), kept in order of similarity, best first; equals in the order found.
  let pairs = 0;
  for (let i = 0; i < q.count; i++) {
    const qJoined = q.from[i] !== q.to[i];
    for (let j = 0; j < c.count; j++) {
      const cJoined = c.from[j] !== c.to[j];
      if (qJoined && cJoined) continue;
      const sim = similarity(q, i, c, j);
      if (sim < TOKEN_THRESHOLD) continue;
      // Between equals, single parts win over joined ones.
      const s = sim + (qJoined || cJoined ? 0 : 1e-9);
      pairQ[pairs] = i;
      pairC[pairs] = j;
      pairS[pairs] = s;
      let k = pairs;
      while (k > 0 && (pairS[order[k - 1] as number] as number) < s) {
        order[k] = order[k - 1] as number;
        k--;
      }
      order[k] = pairs;
      pairs++;
    }
  }
  // Greedy: the best pair whose parts are both still free, then the next.
  if (q.parts > usedQ.length) usedQ = new Uint8Array(q.parts * 2);
  if (c.parts > usedC.length) usedC = new Uint8Array(c.parts * 2);
  usedQ.fill(0, 0, q.parts);
  usedC.fill(0, 0, c.parts);
  let qLetters = 0;
  let cLetters = 0;
  chosenCount = 0;
  for (let r = 0; r < pairs; r++) {
    const k = order[r] as number;
    const i = pairQ[k] as number;
    const j = pairC[k] as number;
    const qf = q.from[i] as number;
    const qt = q.to[i] as number;
    const cf = c.from[j] as number;
    const ct = c.to[j] as number;
    if (usedQ[qf] || usedQ[qt] || usedC[cf] || usedC[ct]) continue;
    usedQ[qf] = 1;
    usedQ[qt] = 1;
    usedC[cf] = 1;
    usedC[ct] = 1;
    chosen[chosenCount++] = k;
    const sim = Math.min(1, pairS[k] as number);
    qLetters += sim * (q.len[i] as number);
    cLetters += sim * (c.len[j] as number);
  }
  if (q.letters === 0 || c.letters === 0) return 0;
  return Math.min(qLetters / q.letters, cLetters / c.letters);
}

/** The pairs the last `alignScore` chose, best first: unit indexes and similarity (uncapped). */
export function alignedPairs(): {
  count: number;
  q: Int32Array;
  c: Int32Array;
  s: Float64Array;
  at: Int32Array;
} {
  return { count: chosenCount, q: pairQ, c: pairC, s: pairS, at: chosen };
}

/** Whether a part of the query (or of the listed name) was aligned by the last `alignScore`. */
export function partUsed(side: 'query' | 'listed', part: number): boolean {
  return (side === 'query' ? usedQ : usedC)[part] === 1;
}

/**
 * `tokenSimilarity` of unit `i` of `a` and unit `j` of `b` (0 for two different whole pinyin
 * syllables: `jian` and `jiang` are 建 and 江, two names, where a slip lands on no syllable, `jain`),
 * except that a pair which cannot
 * reach the alignment threshold may get any lower number (its distance is not computed: it is
 * at least the difference in length).
 */
function similarity(a: NameUnits, i: number, b: NameUnits, j: number): number {
  const n = a.len[i] as number;
  const m = b.len[j] as number;
  const as = a.start[i] as number;
  const bs = b.start[j] as number;
  if (n === m) {
    let k = 0;
    while (k < n && a.chars[as + k] === b.chars[bs + k]) k++;
    if (k === n) return 1;
  }
  if (n === 0 || m === 0) return 0;
  if (
    a.from[i] === a.to[i] &&
    b.from[j] === b.to[j] &&
    a.syllable[a.from[i] as number] === 1 &&
    b.syllable[b.from[j] as number] === 1
  )
    return 0;
  const d = Math.abs(n - m);
  const longer = Math.max(n, m);
  if (d > 2) return 1 - d / longer - 0.1;
  if (1 - d / longer < TOKEN_THRESHOLD) return 0;
  return 1 - osaCodes(a.chars, as, n, b.chars, bs, m) / longer;
}
