import { tokenSimilarity } from './similarity.js';

/** Below this similarity two name parts are not aligned at all (`bush` and `habbash` are not). */
export const TOKEN_THRESHOLD = 0.7;

/** One aligned pair: a part of the query and the candidate's part(s) it stands for. */
export interface AlignedPart {
  readonly query: string;
  readonly candidate: string;
  readonly similarity: number;
  readonly how: 'exact' | 'typo' | 'joined';
}

export interface Alignment {
  /** min(coverage of the query, coverage of the candidate), each weighted by letters: 0..1. */
  readonly score: number;
  readonly parts: readonly AlignedPart[];
  /** Name parts left without a partner on either side. */
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedCandidate: readonly string[];
  /** Whether the aligned parts appear in the same order, or the family name moved to the other end. */
  readonly order: 'same' | 'swapped' | 'mixed';
}

interface Unit {
  readonly text: string;
  /** Token positions it covers. */
  readonly from: number;
  readonly to: number;
}

function units(tokens: readonly string[], joins: boolean): Unit[] {
  const out: Unit[] = tokens.map((t, i) => ({ text: t, from: i, to: i }));
  if (joins) {
    for (let i = 0; i + 1 < tokens.length; i++)
      out.push({ text: `${tokens[i]}${tokens[i + 1]}`, from: i, to: i + 1 });
  }
  return out;
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
export function alignNames(q: readonly string[], c: readonly string[]): Alignment {
  const qu = units(q, true);
  const cu = units(c, true);
  const pairs: { qi: number; ci: number; sim: number }[] = [];
  for (let i = 0; i < qu.length; i++) {
    const a = qu[i] as Unit;
    for (let j = 0; j < cu.length; j++) {
      const b = cu[j] as Unit;
      // A joined unit only ever pairs with a single part (that is what joining is for).
      if (a.from !== a.to && b.from !== b.to) continue;
      const sim = tokenSimilarity(a.text, b.text);
      if (sim >= TOKEN_THRESHOLD)
        pairs.push({ qi: i, ci: j, sim: sim + (a.from === a.to && b.from === b.to ? 1e-9 : 0) });
    }
  }
  pairs.sort((x, y) => y.sim - x.sim);
  const usedQ = new Uint8Array(q.length);
  const usedC = new Uint8Array(c.length);
  const parts: (AlignedPart & { qFrom: number; cFrom: number })[] = [];
  let qLetters = 0;
  let cLetters = 0;
  for (const p of pairs) {
    const a = qu[p.qi] as Unit;
    const b = cu[p.ci] as Unit;
    let free = true;
    for (let k = a.from; k <= a.to; k++) if (usedQ[k]) free = false;
    for (let k = b.from; k <= b.to; k++) if (usedC[k]) free = false;
    if (!free) continue;
    for (let k = a.from; k <= a.to; k++) usedQ[k] = 1;
    for (let k = b.from; k <= b.to; k++) usedC[k] = 1;
    const sim = Math.min(1, p.sim);
    qLetters += sim * a.text.length;
    cLetters += sim * b.text.length;
    const joined = a.from !== a.to || b.from !== b.to;
    parts.push({
      query: a.text,
      candidate: b.text,
      similarity: Math.round(sim * 1000) / 1000,
      how: sim < 1 ? 'typo' : joined ? 'joined' : 'exact',
      qFrom: a.from,
      cFrom: b.from,
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
