/**
 * Court lists publish resident IDs with some characters masked (`1101051949****002X`).
 * Only the visible characters are evidence; the mask itself never is.
 */
const MASKED_SHAPE = /^[\d*]{17}[\dX*]$/;

/** True for an 18-character ID with at least one masked (`*`) and at least 8 visible characters. */
export function isMaskedResidentId(raw: string): boolean {
  const id = raw.replace(/\s+/g, '').toUpperCase();
  if (!MASKED_SHAPE.test(id) || !id.includes('*')) return false;
  let visible = 0;
  for (const c of id) if (c !== '*') visible++;
  return visible >= 8;
}

/**
 * Whether a masked ID agrees with a full one on every visible character, and how many
 * characters were compared.
 *
 * @example
 * compareMaskedId('1101051949****002X', '11010519491231002X') // { consistent: true, visible: 14 }
 */
export function compareMaskedId(masked: string, full: string): { consistent: boolean; visible: number } {
  if (masked.length !== full.length) return { consistent: false, visible: 0 };
  let visible = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '*' || full[i] === '*') continue;
    visible++;
    if (c !== full[i]) return { consistent: false, visible };
  }
  return { consistent: true, visible };
}

/**
 * The blocking key shared by a full ID and the usual court-list mask (area code and birth
 * year visible, month and day masked, sequence and check visible).
 */
export function maskedBlockKey(id: string): string | undefined {
  if (id.length !== 18) return undefined;
  const key = id.slice(0, 10) + id.slice(14);
  return key.includes('*') ? undefined : key;
}
