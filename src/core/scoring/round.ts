/**
 * Two decimals, halves up, as points are shown: on the decimal value a person works by hand, not
 * on its binary neighbour. 1.005 is stored as 1.00499999999999989, and 947.054 − 946.969 sums to
 * 0.08499999999992269: rounded as stored they gave 1.00 and 0.08. Hundredths within 1e-9 (plus
 * 1e-12 of the value, where the binary steps grow) under a half are taken for the half: summing
 * points of up to a few thousand errs by under 1e-11 of a hundredth. Reading at 12 significant
 * digits instead (`toPrecision`) missed that second case and cost ten times the time. Also removes
 * binary noise such as 0.30000000000000004. Never −0.
 */
export function round2(n: number): number {
  const x = n * 100;
  const f = Math.floor(x);
  const r = (x - f >= 0.5 - 1e-9 - Math.abs(x) * 1e-12 ? f + 1 : f) / 100;
  return r === 0 ? 0 : r;
}
