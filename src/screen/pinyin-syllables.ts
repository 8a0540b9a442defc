// Every toneless pinyin syllable, built from initials and finals (a few impossible combinations
// are included; they only ever split a token that both sides split the same way).
const INITIALS = [
  '',
  'b',
  'p',
  'm',
  'f',
  'd',
  't',
  'n',
  'l',
  'g',
  'k',
  'h',
  'j',
  'q',
  'x',
  'zh',
  'ch',
  'sh',
  'r',
  'z',
  'c',
  's',
  'y',
  'w',
];
const FINALS = [
  'a',
  'o',
  'e',
  'i',
  'u',
  'v',
  'ai',
  'ei',
  'ui',
  'ao',
  'ou',
  'iu',
  'ie',
  've',
  'er',
  'an',
  'en',
  'in',
  'un',
  'ang',
  'eng',
  'ing',
  'ong',
  'ia',
  'iao',
  'ian',
  'iang',
  'iong',
  'ua',
  'uo',
  'uai',
  'uan',
  'uang',
  'ue',
];
const SYLLABLES = new Set<string>();
for (const i of INITIALS) for (const f of FINALS) SYLLABLES.add(i + f);
const MAX = 6;

/**
 * Splits a Latin token into pinyin syllables when it is made of them entirely (`jianhua` →
 * `jian hua`), else undefined. Longest syllable first, backtracking when the rest does not split,
 * so both spellings of a given name (`Jianhua`, `Jian-Hua`) become the same syllables. Pinyin puts
 * an apostrophe before a syllable starting with a, o or e that follows another (`Xi'an`), so a
 * split without one is preferred: `nana` is na-na (not nan-a), `lina` li-na, `xian` one syllable;
 * and i, u or ü alone is written yi, wu, yu, so `jianguo` is jian-guo (not jiang-uo);
 * a word that only splits with one (`haoe`, the apostrophe left out) is still read, ending in i, u
 * or ü alone only as a slip that doubled the last letter (`lii`): `ivanov` is not pinyin.
 *
 * @example
 * splitPinyin('xiaoming') // ['xiao', 'ming']
 * splitPinyin('nana') // ['na', 'na']
 * splitPinyin('george') // undefined
 */
export function splitPinyin(token: string): string[] | undefined {
  if (token.length === 0 || token.length > 24) return undefined;
  return split(token, true) ?? split(token, false) ?? undefined;
}

const VOWEL_START = /^[aoe]/;
// A syllable of i, u or ü alone is written yi, wu, yu: `uo` or `ian` is never one (jiang-uo is jian-guo).
const NEVER_ALONE = /^[iuv]/;

function split(token: string, orthographic: boolean): string[] | null {
  const memo = new Map<number, string[] | null>();
  const go = (i: number): string[] | null => {
    if (i === token.length) return [];
    const seen = memo.get(i);
    if (seen !== undefined) return seen;
    for (let len = Math.min(MAX, token.length - i); len >= 1; len--) {
      const s = token.slice(i, i + len);
      if (!SYLLABLES.has(s)) continue;
      // No one writes yi, wu or yu as i, u or v: read without the orthography's rules, a word
      // may still end in one as its last letter doubled by a slip (`lii` li-i, `huu` hu-u). Any
      // other (`ivanov` i-v-an-o-v, `oliver` o-li-v-er) is no pinyin but a Latin name.
      if (NEVER_ALONE.test(s) && (orthographic || i + 1 !== token.length || token[i - 1] !== s)) continue;
      if (orthographic && i > 0 && VOWEL_START.test(s)) continue;
      const rest = go(i + len);
      if (rest) {
        const out = [s, ...rest];
        memo.set(i, out);
        return out;
      }
    }
    memo.set(i, null);
    return null;
  };
  return go(0);
}
