let aBuf = new Uint8Array(64);
let bBuf = new Uint8Array(64);

/**
 * Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters).
 *
 * @example
 * jaroWinkler('martha', 'marhta') // ≈ 0.961
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  // Reused buffers: this runs millions of times and must not allocate.
  if (la > aBuf.length || lb > bBuf.length) {
    aBuf = new Uint8Array(Math.max(la, lb) * 2);
    bBuf = new Uint8Array(Math.max(la, lb) * 2);
  }
  const aFlags = aBuf;
  const bFlags = bBuf;
  aFlags.fill(0, 0, la);
  bFlags.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (bFlags[j] === 0 && b.charCodeAt(j) === c) {
        aFlags[i] = 1;
        bFlags[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (aFlags[i] === 0) continue;
    while (bFlags[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * True when `a` becomes `b` by one substitution, insertion, deletion or swap of neighbours
 * (the usual typing slips).
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Number of differing positions of two equally long strings (Infinity otherwise). */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return d;
}

/** Jaccard overlap of two word lists (each without repeats; short, so a nested loop is fastest). */
export function tokenJaccard(ta: readonly string[], tb: readonly string[]): number {
  let inter = 0;
  for (const t of ta) if (tb.includes(t)) inter++;
  return inter / (ta.length + tb.length - inter);
}
