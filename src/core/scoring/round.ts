/**
 * Two decimals, halves up, as points are shown. The hundredths are read to 12 significant digits
 * first, as `clampScore` reads the score: 1.005 is stored as 1.00499999999999989, which rounded
 * as stored gave 1.00 while 2.675 gave 2.68; a person works their points in decimals. Also removes
 * binary noise such as 0.30000000000000004. Never −0.
 */
export function round2(n: number): number {
  const r = Math.round(Number((n * 100).toPrecision(12))) / 100;
  return r === 0 ? 0 : r;
}
