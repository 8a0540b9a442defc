import { pinyin } from 'pinyin-pro';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const COMBINING = /[\u0300-\u036f]/g;

/** True when the text holds Chinese characters. */
export function hasHan(s: string): boolean {
  return HAN.test(s);
}

/** Chinese characters to toneless pinyin syllables, other text left as is. */
export function hanToPinyin(s: string, surnameFirst = false): string[] {
  return pinyin(s, { toneType: 'none', type: 'array', v: true, ...(surnameFirst ? { surname: 'head' } : {}) })
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Lower case, diacritics removed (ü → u, é → e), punctuation to spaces, spaces collapsed.
 * Pinyin's `ü` is written `v` or `yu` as well; all three become `u`.
 */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
