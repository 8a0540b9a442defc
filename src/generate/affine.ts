/**
 * Knuth's multiplicative constant: odd, and coprime to every identifier space used here (checked
 * at load), so `i -> (A·i + b) mod N` is a bijection and identifiers are unique without a set.
 */
export const MULTIPLIER = 2_654_435_761;

const SPLIT = 65_536;

/**
 * `(MULTIPLIER · i + add) mod space`, exact in doubles for i < 10^8 and space < 2^31 (the
 * product is split in two so no partial result passes 2^53; BigInt would be several times slower).
 *
 * @example
 * affine(1, 0, 100_000_000) // 54_435_761
 */
export function affine(i: number, add: number, space: number): number {
  const hi = Math.floor(i / SPLIT);
  const lo = i - hi * SPLIT;
  return (((((MULTIPLIER * hi) % space) * SPLIT + MULTIPLIER * lo + add) % space) + space) % space;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Throws unless the multiplier is coprime to `space` (so the map is a bijection). */
export function assertBijective(space: number): number {
  if (gcd(MULTIPLIER, space) !== 1) throw new Error(`generator: ${MULTIPLIER} is not coprime to ${space}`);
  return space;
}
