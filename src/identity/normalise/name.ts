import { foldText, hanToPinyin, hasHan } from './text.js';

/** A person's name reduced to comparable parts: pinyin for Chinese, folded case and diacritics. */
export interface NormalisedName {
  /** Given names joined without spaces (`xiaoming`, `annamaria`). */
  given?: string;
  surname?: string;
}

// Two-character Chinese surnames (the common ones); everything else takes the first character.
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
  '呼延',
  '万俟',
  '澹台',
  '单于',
  '申屠',
  '太史',
  '钟离',
  '闻人',
]);

// After folding, the pinyin ü shows up as v (lv), u (lu) or yu (lyu, as on passports).
function fixPinyinU(s: string): string {
  return s.replace(/^(l|n)(v|yu)(?=$|e|a|n)/, '$1u');
}

function foldPart(s: string, surnameFirst = false): string {
  const latin = hasHan(s) ? hanToPinyin(s, surnameFirst).join(' ') : s;
  return foldText(latin)
    .split(' ')
    .map(fixPinyinU)
    .filter((t) => t.length > 0)
    .join(' ');
}

/** A given name or surname folded and joined (`Xiao-Ming` → `xiaoming`, `Müller` → `muller`, `王` → `wang`). */
export function normaliseNamePart(s: string | undefined, surname = false): string | undefined {
  if (!s) return undefined;
  const folded = foldPart(s, surname).replace(/ /g, '');
  return folded.length > 0 ? folded : undefined;
}

/**
 * Splits a full name: Chinese characters take the (compound) surname first; `Surname, Given`
 * with a comma; otherwise Western order, the last word being the surname. Order mistakes are
 * caught later by comparing swapped names.
 *
 * @example
 * splitFullName('王伟') // { given: 'wei', surname: 'wang' }
 * splitFullName('Anna Maria Eriksson') // { given: 'annamaria', surname: 'eriksson' }
 */
export function splitFullName(full: string): NormalisedName {
  const t = full.trim();
  if (hasHan(t)) {
    const compact = t.replace(/[\s·•]+/g, '');
    const cut = COMPOUND_SURNAMES.has(compact.slice(0, 2)) ? 2 : 1;
    return pack(normaliseNamePart(compact.slice(cut)), normaliseNamePart(compact.slice(0, cut), true));
  }
  const comma = t.indexOf(',');
  if (comma > 0) return pack(normaliseNamePart(t.slice(comma + 1)), normaliseNamePart(t.slice(0, comma)));
  const words = foldPart(t).split(' ').filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return pack(undefined, words[0]);
  // The family name written in capitals marks it wherever it stands (`ZHANG Wei`, `Jean DUPONT`),
  // as passports, airlines and Chinese names in Latin letters write it; read in Western order,
  // `CHEN Na` was given name Chen, and met the bank's Chen Na only as a swapped name.
  const caps = capitalWords(t);
  if (caps !== undefined && caps.length === words.length) {
    const at = caps.findIndex(Boolean);
    if (at !== -1 && caps.indexOf(true, at + 1) === -1) {
      return pack(words.filter((_, i) => i !== at).join(''), words[at]);
    }
  }
  return pack(words.slice(0, -1).join(''), words[words.length - 1]);
}

/**
 * For each word of a Latin name, whether it is written in capitals (two letters or more, none
 * lower case); undefined when every word is (a name written all in capitals says nothing).
 */
function capitalWords(name: string): boolean[] | undefined {
  const words = name.split(/[\s]+/).filter((w) => /\p{L}/u.test(w));
  const caps = words.map((w) => {
    const letters = w.replace(/[^\p{L}]/gu, '');
    return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  });
  return caps.every(Boolean) ? undefined : caps;
}

function pack(given: string | undefined, surname: string | undefined): NormalisedName {
  const n: NormalisedName = {};
  if (given) n.given = given;
  if (surname) n.surname = surname;
  return n;
}

/** Given and surname from whichever of `given_name`, `surname`, `full_name` a record has. */
export function normaliseName(r: {
  given_name?: string;
  surname?: string;
  full_name?: string;
}): NormalisedName {
  const given = normaliseNamePart(r.given_name);
  const surname = normaliseNamePart(r.surname, true);
  if ((given || surname) && !(r.full_name && (!given || !surname))) return pack(given, surname);
  if (r.full_name) {
    const split = splitFullName(r.full_name);
    return pack(given ?? split.given, surname ?? split.surname);
  }
  return pack(given, surname);
}
