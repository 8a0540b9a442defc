/** Two decimals, as points are shown; removes binary noise such as 0.30000000000000004. */
export function round2(n: number): number {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? 0 : r;
}
