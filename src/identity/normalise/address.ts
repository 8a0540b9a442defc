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

// Words that say what kind of place a part of an address is, not which: two addresses that share
// only these (and the city) are no more alike than any two in that city. Expanded forms, and the
// pinyin of the Chinese ones (路 road, 街 street, 号 number, 栋/楼 building, 单元 unit, 室 room,
// 区 district, 村 village).
const GENERIC_WORDS = new Set([
  ...Object.values(ABBREVIATIONS),
  'rm',
  'room',
  'unit',
  'floor',
  'flat',
  'level',
  'suite',
  'block',
  'lot',
  'lu',
  'jie',
  'hao',
  'dong',
  'lou',
  'danyuan',
  'shi',
  'qu',
  'cun',
]);

/**
 * The distinct words of a normalised address that tell it apart from others: names and numbers,
 * not street types or building, unit and room words.
 *
 * @example
 * addressWords('127 binhai road building 14 rm 204') // ['127', 'binhai', '14', '204']
 */
export function addressWords(address: string): string[] {
  const out: string[] = [];
  for (const w of address.split(' ')) if (w && !GENERIC_WORDS.has(w) && !out.includes(w)) out.push(w);
  return out;
}

/** City or postcode: folded, spaces removed. */
export function normalisePlace(raw: string): string | undefined {
  const latin = hasHan(raw) ? hanToPinyin(raw).join('') : raw;
  const s = foldText(latin).replace(/ /g, '');
  return s || undefined;
}
