import type { AlignedPart, Alignment } from './align.js';
import { TOKEN_THRESHOLD } from './align-score.js';
import { isPinyinSyllable } from './pinyin-syllables.js';
import { tokenSimilarity } from './similarity.js';

// The alignment as first written (string units, object pairs, one sort), kept as the
// specification the fast `alignNames` and `alignScore` are tested against: same parts, same
// order, same score to the last bit.

/** Name parts, then each two neighbours joined: texts and the token positions they cover. */
function units(tokens: readonly string[]): { text: string[]; from: number[]; to: number[] } {
  const text = [...tokens];
  const from = tokens.map((_, i) => i);
  const to = [...from];
  for (let i = 0; i + 1 < tokens.length; i++) {
    text.push(`${tokens[i]}${tokens[i + 1]}`);
    from.push(i);
    to.push(i + 1);
  }
  return { text, from, to };
}

/**
 * Aligns the parts of two names regardless of order (family name first or last), allowing a typo
 * per part and a given name written as one word or as syllables (`jianhua` = `jian hua`). Pairs
 * are chosen greedily, best first; every letter left unaligned on either side lowers the score,
 * so `Emma` does not align with `Emma Daniels` (a whole surname is missing) and `George Bush`
 * does not align with `George Habbash` (`bush`/`habbash` are too far apart to be a typo).
 *
 * @example
 * alignNames(['wei', 'wang'], ['wang', 'wei']).score // 1, order 'swapped'
 */
export function referenceAlignNames(q: readonly string[], c: readonly string[]): Alignment {
  const qu = units(q);
  const cu = units(c);
  // Candidate pairs as parallel arrays (this runs for every candidate a query brings up).
  const pq: number[] = [];
  const pc: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < qu.text.length; i++) {
    const qJoined = qu.from[i] !== qu.to[i];
    for (let j = 0; j < cu.text.length; j++) {
      const cJoined = cu.from[j] !== cu.to[j];
      // A joined unit only ever pairs with a single part (that is what joining is for).
      if (qJoined && cJoined) continue;
      const a = qu.text[i] as string;
      const b = cu.text[j] as string;
      // Two different whole pinyin syllables are two characters: another name, not a slip.
      const syllables = !qJoined && !cJoined && a !== b && isPinyinSyllable(a) && isPinyinSyllable(b);
      const sim = syllables ? 0 : tokenSimilarity(a, b);
      if (sim >= TOKEN_THRESHOLD) {
        pq.push(i);
        pc.push(j);
        // Between equals, single parts win over joined ones.
        ps.push(sim + (qJoined || cJoined ? 0 : 1e-9));
      }
    }
  }
  const order = ps.map((_, k) => k).sort((a, b) => (ps[b] as number) - (ps[a] as number) || a - b);
  const usedQ = new Uint8Array(q.length);
  const usedC = new Uint8Array(c.length);
  const parts: (AlignedPart & { qFrom: number; cFrom: number })[] = [];
  let qLetters = 0;
  let cLetters = 0;
  for (const k of order) {
    const i = pq[k] as number;
    const j = pc[k] as number;
    const qf = qu.from[i] as number;
    const qt = qu.to[i] as number;
    const cf = cu.from[j] as number;
    const ct = cu.to[j] as number;
    if (usedQ[qf] || usedQ[qt] || usedC[cf] || usedC[ct]) continue;
    usedQ[qf] = 1;
    usedQ[qt] = 1;
    usedC[cf] = 1;
    usedC[ct] = 1;
    const sim = Math.min(1, ps[k] as number);
    const a = qu.text[i] as string;
    const b = cu.text[j] as string;
    qLetters += sim * a.length;
    cLetters += sim * b.length;
    const joined = qf !== qt || cf !== ct;
    parts.push({
      query: a,
      candidate: b,
      similarity: Math.round(sim * 1000) / 1000,
      how: sim < 1 ? 'typo' : joined ? 'joined' : 'exact',
      qFrom: qf,
      cFrom: cf,
    });
  }
  let qTotal = 0;
  for (const t of q) qTotal += t.length;
  let cTotal = 0;
  for (const t of c) cTotal += t.length;
  const score = qTotal === 0 || cTotal === 0 ? 0 : Math.min(qLetters / qTotal, cLetters / cTotal);
  return {
    score,
    parts: parts.map(({ qFrom: _q, cFrom: _c, ...rest }) => rest),
    unmatchedQuery: q.filter((_, i) => !usedQ[i]),
    unmatchedCandidate: c.filter((_, i) => !usedC[i]),
    order: orderOf(parts.sort((x, y) => x.qFrom - y.qFrom).map((p) => p.cFrom)),
  };
}

function orderOf(seq: readonly number[]): Alignment['order'] {
  const increasing = (s: readonly number[]): boolean =>
    s.every((v, i) => i === 0 || v > (s[i - 1] as number));
  if (increasing(seq)) return 'same';
  // Family name at the other end: a rotation of an increasing sequence.
  for (let r = 1; r < seq.length; r++)
    if (increasing([...seq.slice(r), ...seq.slice(0, r)])) return 'swapped';
  return 'mixed';
}
