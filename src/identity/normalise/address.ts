import { foldText, hanToPinyin, hanToPinyinByChar, hasHan } from './text.js';

// Common street-type abbreviations, so `12 Smith St.` meets `12 smith street`.
const ABBREVIATIONS: Record<string, string> = {
  st: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  cres: 'crescent',
  cr: 'crescent',
  pl: 'place',
  dr: 'drive',
  ct: 'court',
  cct: 'circuit',
  cl: 'close',
  hwy: 'highway',
  ln: 'lane',
  pde: 'parade',
  tce: 'terrace',
  sq: 'square',
  blvd: 'boulevard',
  apt: 'apartment',
  bldg: 'building',
  no: 'number',
};

/**
 * Folds an address for comparison: pinyin for Chinese characters, case and diacritics folded,
 * punctuation removed, street-type abbreviations expanded.
 *
 * @example
 * normaliseAddress('12 Smith St.') // '12 smith street'
 */
export function normaliseAddress(raw: string): string | undefined {
  if (addressMemo.has(raw)) return addressMemo.get(raw);
  const out = computeAddress(raw);
  if (addressMemo.size >= 100_000) addressMemo = new Map();
  addressMemo.set(raw, out);
  return out;
}

let addressMemo = new Map<string, string | undefined>();

function computeAddress(raw: string): string | undefined {
  const latin = hasHan(raw) ? hanToPinyinByChar(raw) : raw;
  const words = foldText(latin)
    .split(' ')
    .filter(Boolean)
    .map((w) => ABBREVIATIONS[w] ?? w);
  return words.length > 0 ? words.join(' ') : undefined;
}

/** City or postcode: folded, spaces removed. */
export function normalisePlace(raw: string): string | undefined {
  const latin = hasHan(raw) ? hanToPinyin(raw).join('') : raw;
  const s = foldText(latin).replace(/ /g, '');
  return s || undefined;
}
