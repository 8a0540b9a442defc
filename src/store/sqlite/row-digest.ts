/**
 * The arithmetic the seals share (`fact-seal.ts`, `table-seal.ts`, `program-seal.ts`): a row's
 * SHA-256 read as a number, summed modulo 2^256, stored as 64 hex digits.
 */
export const MOD = (1n << 256n) - 1n;

/** A value as a row's text holds it: typed and length-prefixed, so no two rows share a text. */
export type SealedValue = string | number | bigint | null;

// Lengths count UTF-16 units and the text is hashed as UTF-8, as SQLite stores it (a lone surrogate
// becomes U+FFFD in both, one unit each), so a row hashes alike when written and when read back.
function field(v: SealedValue): string {
  if (v === null) return '-';
  if (typeof v === 'number' || typeof v === 'bigint') return `n${v}`;
  return `s${v.length}:${v}`;
}

let sha256: ((text: string) => bigint) | undefined;

/**
 * The SHA-256, as a number below 2^256, of `prefix` and the row's fields joined by '|' (built
 * without an array: it runs for every row written).
 */
export function rowDigest(prefix: string | undefined, row: readonly SealedValue[]): bigint {
  if (!sha256) {
    const { hash } = process.getBuiltinModule('node:crypto');
    sha256 = (text) => BigInt(`0x${hash('sha256', text, 'hex')}`);
  }
  let text = prefix ?? field(row[0] as SealedValue);
  for (let i = prefix === undefined ? 1 : 0; i < row.length; i++) text += `|${field(row[i] as SealedValue)}`;
  return sha256(text);
}

/** A sum as stored: 64 hex digits. */
export const hex = (n: bigint): string => n.toString(16).padStart(64, '0');
