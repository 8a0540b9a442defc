import { alignedPairs, alignScore, NameUnits, partUsed, TOKEN_THRESHOLD } from './align-score.js';

export { TOKEN_THRESHOLD };

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

// Scratch units for `alignNames` (single-threaded; `alignScore` has its own pair scratch).
const queryUnits = new NameUnits();
const listedUnits = new NameUnits();

/** The text of unit `u` of a name: a part, or two neighbouring parts joined. */
function unitText(tokens: readonly string[], units: NameUnits, u: number): string {
  const from = units.from[u] as number;
  const to = units.to[u] as number;
  return from === to ? (tokens[from] as string) : `${tokens[from]}${tokens[to]}`;
}

/**
 * Aligns the parts of two names regardless of order (family name first or last), allowing a typo
 * per part and a given name written as one word or as syllables (`jianhua` = `jian hua`). Pairs
 * are chosen greedily, best first; every letter left unaligned on either side lowers the score,
 * so `Emma` does not align with `Emma Daniels` (a whole surname is missing) and `George Bush`
 * does not align with `George Habbash` (`bush`/`habbash` are too far apart to be a typo). The
 * pairs are those `alignScore` chooses; this adds the words.
 *
 * @example
 * alignNames(['wei', 'wang'], ['wang', 'wei']).score // 1, order 'swapped'
 */
export function alignNames(q: readonly string[], c: readonly string[]): Alignment {
  const qu = queryUnits.fill(q);
  const cu = listedUnits.fill(c);
  const score = alignScore(qu, cu);
  const chosen = alignedPairs();
  const parts: (AlignedPart & { qFrom: number; cFrom: number })[] = [];
  for (let r = 0; r < chosen.count; r++) {
    const k = chosen.at[r] as number;
    const i = chosen.q[k] as number;
    const j = chosen.c[k] as number;
    const qf = qu.from[i] as number;
    const cf = cu.from[j] as number;
    const sim = Math.min(1, chosen.s[k] as number);
    const joined = qf !== qu.to[i] || cf !== cu.to[j];
    parts.push({
      query: unitText(q, qu, i),
      candidate: unitText(c, cu, j),
      similarity: Math.round(sim * 1000) / 1000,
      how: sim < 1 ? 'typo' : joined ? 'joined' : 'exact',
      qFrom: qf,
      cFrom: cf,
    });
  }
  return {
    score,
    parts: parts.map(({ qFrom: _q, cFrom: _c, ...rest }) => rest),
    unmatchedQuery: q.filter((_, i) => !partUsed('query', i)),
    unmatchedCandidate: c.filter((_, i) => !partUsed('listed', i)),
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
