import { lazyModule } from '../identity/lazy-module.js';

// Loaded only when a name carries Cyrillic or Greek letters.
const translitLib = lazyModule<typeof import('@sindresorhus/transliterate')>(
  import.meta.url,
  '@sindresorhus/transliterate',
);

const CYRILLIC_OR_GREEK = /[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]/;
const CYRILLIC = /[\u0400-\u052f]/;
/** Letters Ukrainian has and Russian has not. */
const UKRAINIAN = /[ґєіїҐЄІЇ]/;

/** True when the text holds Cyrillic or Greek letters. */
export function hasCyrillicOrGreek(s: string): boolean {
  return CYRILLIC_OR_GREEK.test(s);
}

// Written as one letter, or as a letter and a combining diaeresis.
const UMLAUT = /[äöüÄÖÜ]|[aouAOU]\u0308/;
const UMLAUT_LETTERS: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
};

/**
 * True when a name has more than one Latin spelling to be listed or asked for under
 * (`latinSpellings`): it holds Cyrillic or Greek letters, or a German umlaut.
 */
export function hasOtherSpellings(s: string): boolean {
  return CYRILLIC_OR_GREEK.test(s) || UMLAUT.test(s);
}

/**
 * Letters the library leaves as they are or spells otherwise than passports do. Each pair is
 * given in lower case and is applied in title and upper case too.
 *
 * - Serbian and Macedonian as their own Latin alphabet writes them (Đ, Ć, Dž, Lj, Nj, J), folded;
 *   Kazakh and Belarusian letters the library does not know.
 * - Russian `щ` as `shch` (Khrushchev, Shcherbakova: passports and the press), not `sch`.
 * - Greek as ELOT 743 (Greek passports): `ου` ou, `γγ` ng, `γξ` nx, `γχ` nch, `χ` ch, `ξ` x; `αυ`
 *   `ευ` `ηυ` are av ev iv, or af ef if before a voiceless consonant or at the end of the word
 *   (those are `VOICELESS_UPSILON` below).
 */
const LETTERS: readonly (readonly [string, string])[] = [
  ['щ', 'shch'],
  ['ђ', 'dj'],
  ['ћ', 'c'],
  ['џ', 'dz'],
  ['љ', 'lj'],
  ['њ', 'nj'],
  ['ј', 'j'],
  ['ѓ', 'g'],
  ['ќ', 'k'],
  ['ѕ', 'dz'],
  ['ў', 'u'],
  ['ә', 'a'],
  ['ғ', 'g'],
  ['қ', 'k'],
  ['ң', 'ng'],
  ['ө', 'o'],
  ['ұ', 'u'],
  ['ү', 'u'],
  ['һ', 'h'],
  ['ου', 'ou'],
  ['γγ', 'ng'],
  ['γξ', 'nx'],
  ['γχ', 'nch'],
  ['χ', 'ch'],
  ['ξ', 'x'],
  ['β', 'v'],
];

/**
 * Russian as ICAO 9303 spells it (Russian passports since 2013, and so airline and sanctions
 * lists): `й` i, `ю` iu, `я` ia, `ё` e, `ъ` ie. `Юрий` is Iurii here and Yuriy above: two letters
 * apart, more than one slip, so a listed name is filed under both.
 */
const ICAO: readonly (readonly [string, string])[] = [
  ['й', 'i'],
  ['ю', 'iu'],
  ['я', 'ia'],
  ['ё', 'e'],
  ['ъ', 'ie'],
];

/**
 * Ukrainian as its passports spell it (the 2010 national system): `г` h, `ґ` g, `и` y, `і` `ї` `й`
 * i, `є` ie, `ю` iu, `я` ia; at the start of a word `є` `ї` `й` `ю` `я` are ye, yi, y, yu, ya
 * (`Григорій` Hryhorii, `Євген` Yevhen). Used only for a name with a letter only Ukrainian has.
 */
const UKRAINIAN_LETTERS: readonly (readonly [string, string])[] = [
  ['г', 'h'],
  ['ґ', 'g'],
  ['и', 'y'],
  ['і', 'i'],
  ['ї', 'i'],
  ['й', 'i'],
  ['є', 'ie'],
  ['ю', 'iu'],
  ['я', 'ia'],
];
const UKRAINIAN_INITIAL: Record<string, string> = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };

/** `αυ` `ευ` `ηυ` before a voiceless consonant or at the end of a word: af, ef, if. */
const VOICELESS_UPSILON = /([αεηΑΕΗ])([υΥ])(?!\u0308)(?=[θκξπστφχψςΘΚΞΠΣΤΦΧΨ]|$|\P{L})/gu;
const VOICED_UPSILON = /([αεηΑΕΗ])([υΥ])(?!\u0308)/g;
const VOWEL: Record<string, string> = { α: 'a', ε: 'e', η: 'i', Α: 'A', Ε: 'E', Η: 'I' };

type Scheme = 'common' | 'icao' | 'ukrainian';
const replacements = new Map<Scheme, [string, string][]>();

/** A scheme's pairs (its own first), each in upper, title and lower case, longest first. */
function customReplacements(scheme: Scheme): [string, string][] {
  const hit = replacements.get(scheme);
  if (hit) return hit;
  const own = scheme === 'icao' ? ICAO : scheme === 'ukrainian' ? UKRAINIAN_LETTERS : [];
  const pairs = [...own, ...LETTERS.filter(([from]) => !own.some(([o]) => o === from))];
  // Longer spellings first: the library applies them in order.
  pairs.sort((a, b) => b[0].length - a[0].length);
  const out: [string, string][] = [];
  const title = (s: string): string => (s ? (s[0] as string).toUpperCase() + s.slice(1) : s);
  for (const [from, to] of pairs) {
    // A capital letter alone could begin a word or be one of a word in capitals: read as the
    // first (`Юрий` Iurii; `ЮРИЙ` IuRII folds the same).
    if (from.length > 1) out.push([from.toUpperCase(), to.toUpperCase()]);
    out.push([title(from), title(to)], [from, to]);
  }
  replacements.set(scheme, out);
  return out;
}

/**
 * The Latin spellings a name may be listed or asked for under: the one `toLatin` gives, and for a
 * Cyrillic name also the one its passport would carry (ICAO 9303 for Russian, the national system
 * for a name written in Ukrainian). A name with a German umlaut is also written with the vowel and
 * an e, as German does when it cannot write the letter and a passport's machine-readable zone always
 * does (ICAO 9303: `Müller` is MUELLER); folded, `ü` is `u`, so `Müller` is asked for as muller and
 * mueller. Other names have one spelling.
 *
 * @example
 * latinSpellings('Юрий Гагарин') // ['Yuriy Gagarin', 'Iurii Gagarin']
 * latinSpellings('Jürgen Müller') // ['Jürgen Müller', 'Juergen Mueller']
 */
export function latinSpellings(s: string): string[] {
  if (!hasCyrillicOrGreek(s)) {
    if (!UMLAUT.test(s)) return [s];
    return [s, s.normalize('NFC').replace(/[äöüÄÖÜ]/g, (ch) => UMLAUT_LETTERS[ch] as string)];
  }
  const out = [toLatin(s)];
  if (CYRILLIC.test(s)) out.push(toLatin(s, UKRAINIAN.test(s) ? 'ukrainian' : 'icao'));
  return [...new Set(out)];
}

/**
 * Cyrillic and Greek letters as Latin ones, other text left as is: `Владимир Иванов` is
 * `Vladimir Ivanov`, `Γιώργος Παπαδόπουλος` is `Giorgos Papadopoulos`. Case is kept, but a capital
 * that becomes two letters is written as a word's first (`ЩУКИН` ShchUKIN): names are compared
 * folded.
 *
 * @example
 * toLatin('Никита Хрущёв') // 'Nikita Khrushchyov'
 */
export function toLatin(s: string, scheme: Scheme = 'common'): string {
  // Accents (tonos) and breathings say nothing of the spelling; a diaeresis keeps its vowel apart
  // from the one before it (`αϋ` is a-i, not av), so it stays until the pairs are read.
  let t = s.normalize('NFD').replace(/[\u0300-\u0301\u0313\u0314\u0342\u0345]/g, '');
  t = t
    .replace(VOICELESS_UPSILON, (_, v: string, u: string) => `${VOWEL[v]}${u === 'Υ' ? 'F' : 'f'}`)
    .replace(VOICED_UPSILON, (_, v: string, u: string) => `${VOWEL[v]}${u === 'Υ' ? 'V' : 'v'}`)
    .normalize('NFC')
    // Ukrainian and Belarusian write an apostrophe inside a word (`Мар'яна`); passports drop it.
    .replace(/(?<=[\u0400-\u04ff])['’ʼ](?=[\u0400-\u04ff])/g, '');
  if (scheme === 'ukrainian') {
    t = t.replace(/(^|[^\p{L}'’ʼ])([єїйюяЄЇЙЮЯ])/gu, (_, before: string, ch: string) => {
      const to = UKRAINIAN_INITIAL[ch.toLowerCase()] as string;
      return before + (ch === ch.toLowerCase() ? to : (to[0] as string).toUpperCase() + to.slice(1));
    });
  }
  return translitLib().default(t, { customReplacements: customReplacements(scheme) });
}
