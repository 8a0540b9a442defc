// GB 11643-1999: 17 digits (area, birth date, sequence) and a check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/**
 * The GB 11643 check character of the first 17 digits of a resident ID.
 *
 * @example
 * residentIdCheckChar('11010519491231002') // 'X'
 */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/**
 * Builds a valid 18-character resident ID. The sequence is odd for men, even for women.
 *
 * @example
 * residentId('110105', '19491231', 2) // '11010519491231002X'
 */
export function residentId(area: string, birthDate: string, sequence: number): string {
  const first17 = `${area}${birthDate}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * True when the 18-character ID's last character is its check character.
 *
 * @example
 * hasValidCheckChar('11010519491231002X') // true
 */
export function hasValidCheckChar(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && residentIdCheckChar(id.slice(0, 17)) === id[17];
}
