import { lazyModule } from '../lazy-module.js';

// Loaded only when a record carries Chinese characters.
const pinyinLib = lazyModule<typeof import('pinyin-pro')>(import.meta.url, 'pinyin-pro');

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const COMBINING = /[\u0300-\u036f]/g;

/** True when the text holds Chinese characters. */
export function hasHan(s: string): boolean {
  return HAN.test(s);
}

// Names repeat a great deal and pinyin-pro segments words (slow), so conversions are memoised.
const MEMO_LIMIT = 100_000;
let memo = new Map<string, string[]>();
const charMemo = new Map<string, string>();

/** Chinese characters to toneless pinyin syllables, other text left as is. */
export function hanToPinyin(s: string, surnameFirst = false): string[] {
  const key = surnameFirst ? `\u0001${s}` : s;
  const hit = memo.get(key);
  if (hit) return hit;
  const out = pinyinLib()
    .pinyin(s, {
      toneType: 'none',
      type: 'array',
      v: true,
      ...(surnameFirst ? { surname: 'head' } : {}),
    })
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(key, out);
  return out;
}

/**
 * Character-by-character pinyin for long free text (addresses): no word segmentation, so a
 * polyphonic character always reads the same way, which is what matching needs.
 */
export function hanToPinyinByChar(s: string): string {
  let out = '';
  for (const ch of s) {
    if (!HAN.test(ch)) {
      out += ch;
      continue;
    }
    let py = charMemo.get(ch);
    if (py === undefined) {
      py = pinyinLib().pinyin(ch, { toneType: 'none', v: true });
      charMemo.set(ch, py);
    }
    out += ` ${py} `;
  }
  return out;
}

/**
 * Lower case, diacritics removed (ü → u, é → e), punctuation to spaces, spaces collapsed.
 * Pinyin's `ü` is written `v` or `yu` as well; all three become `u`.
 */
export function foldText(s: string): string {
  // Plain ASCII (most input) needs no Unicode decomposition.
  if (isAscii(s)) {
    return s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return s
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
