import { foldText, hanToPinyin, hasHan } from '../identity/normalise/text.js';
import { HAN_LEGAL_FORMS, isLegalForm, isSurnameForm, isTitle } from './legal-forms.js';
import { splitPinyin } from './pinyin-syllables.js';
import { hasCyrillicOrGreek, toLatin } from './transliterate.js';

/** A name as the screener compares it. */
export interface NameTokens {
  /** Folded name parts: pinyin syllables for Chinese names, words otherwise. */
  readonly tokens: readonly string[];
  /** The name carried a legal-form word: it names an organisation, not a person. */
  readonly organisation: boolean;
  /** Written in Chinese characters, or in Latin letters that are pinyin throughout. */
  readonly chinese: boolean;
}

/**
 * Folds a name into comparable parts: Chinese characters become pinyin syllables, Cyrillic and
 * Greek letters Latin ones (`toLatin`), Latin words are folded (case, diacritics, punctuation)
 * and, when every word is pinyin, split into syllables, so `王建华`, `Wang Jianhua`, `Jian-Hua WANG`
 * and `wang jian hua` all give `wang jian hua`, and `Владимир Иванов` gives `vladimir ivanov`.
 * Legal-form words (`ООО` too) and titles are dropped and remembered.
 *
 * @example
 * nameTokens('Emma LLC') // { tokens: ['emma'], organisation: true, chinese: false }
 * nameTokens('王建华').tokens // ['wang', 'jian', 'hua']
 */
export function nameTokens(name: string): NameTokens {
  let text = hasCyrillicOrGreek(name) ? toLatin(name) : name;
  if (/[1-5\uff11-\uff15]/.test(text)) text = text.replace(/[\p{L}\p{N}]+/gu, withoutToneNumbers);
  let organisation = false;
  if (hasHan(text)) {
    for (const w of HAN_LEGAL_FORMS) {
      if (text.includes(w)) {
        organisation = true;
        text = text.split(w).join(' ');
      }
    }
  }
  const han = hasHan(text);
  // Latin words beside characters (`李娜 LLC`) are folded as words, not read as pinyin.
  // Beside characters, Latin letters are told apart as A-Z: read without tone marks and in
  // half-width first (`王建华 Wáng Jiànhuá`, `李娜 Ｌｉ Ｎａ`), or Wáng is W and ng, á read as pinyin.
  const mixed = han ? text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFKC') : text;
  const latin = han ? (mixed.match(/[A-Za-z][A-Za-z.&'-]*/g) ?? []).join(' ') : text;
  const hanPart = han ? mixed.replace(/[A-Za-z][A-Za-z.&'-]*/g, ' ') : '';
  const words: string[] = [];
  // Pinyin read off characters is a name part, never a legal form or a title: 萨 is Sa, not S.A.
  if (han)
    for (const w of foldText(hanToPinyin(hanPart, true).join(' ')).split(' '))
      if (w) words.push(uSpelling(w));
  const hanWords = words.length;
  const parts = latinWords(latin);
  // A word that is both a legal form and a pinyin syllable (`Sa`: 萨, S.A.) is a name part in a
  // name that otherwise reads as pinyin, unless written in capitals at the end of a name in mixed
  // case (`Wang Wei SA`); `Li Sa`, `Sa Beining` and `LI SA` (capitals, as passports write) are
  // people, `Emma Daniels SA` an organisation.
  const mixedCase = /\p{Ll}/u.test(latin) && /\p{Lu}/u.test(latin);
  const pinyinName = (skip: number): boolean =>
    parts.every((q, j) => j === skip || q.tokens.every((t) => splitPinyin(t) !== undefined));
  // 有限 (youxian, limited) is a legal form only before 公司 or 责任公司; alone it is a given name
  // (张有贤, Zhang Youxian).
  // A legal-form word that is also a surname or given name (`Co`, `Sa`, `Se`, `Ike`) is a name
  // part as names write it: `Jose Co`, `Maria Sa`, `MARIA SA`. Written as a company's form (dotted,
  // `Co.`, after `&`, in capitals after a name in mixed case) or in capitals after two or more
  // name parts (`EMMA DANIELS SA`) it is the legal form. (Read as a legal form, such a listed
  // person was filed under no name and never found, and a relying party asking was refused.)
  const nameWord = (p: LatinWord, i: number): boolean =>
    (isPinyinSyllable(p.word) && pinyinName(i)) ||
    (isSurnameForm(p.word) && !(p.upper && !mixedCase && parts.length >= 3));
  const givenYouxian = (i: number): boolean => !['gongsi', 'zeren'].includes(parts[i + 1]?.tokens[0] ?? '');
  parts.forEach((p, i) => {
    if (p.word === 'youxian' && givenYouxian(i)) {
      words.push(p.word);
      return;
    }
    const legal =
      isLegalForm(p.word) &&
      (p.dotted ||
        (p.abbreviated && isSurnameForm(p.word)) ||
        parts[i - 1]?.word === '&' ||
        (mixedCase && p.upper && i > 0 && i === parts.length - 1) ||
        !nameWord(p, i));
    if (legal) {
      organisation = true;
      return;
    }
    if (p.word === '&') return;
    for (const t of p.tokens) {
      // A word read as a name part above is one; a legal form inside a word (`Co.,Ltd.`) is not.
      if (p.tokens.length > 1 && isLegalForm(t) && !isPinyinSyllable(t)) organisation = true;
      else if (!isTitle(t)) words.push(uSpelling(t));
    }
  });
  if (han) {
    // The name in characters and in pinyin side by side (`李娜 (Li Na)`, as bilingual forms and
    // KYC records write it) is one name, not li na li na.
    const pinyin = words.slice(0, hanWords);
    const latinWords = words.slice(hanWords);
    if (latinWords.length > 0 && sameSyllables(pinyin, latinWords))
      return { tokens: pinyin, organisation, chinese: true };
    return { tokens: words, organisation, chinese: true };
  }
  const split = words.map(splitPinyin);
  if (words.length > 0 && split.every((s) => s !== undefined)) {
    return { tokens: split.flat() as string[], organisation, chinese: true };
  }
  return { tokens: words.map(latinSpelling), organisation, chinese: false };
}

/**
 * One spelling for a sound Latin names write two ways: `ks` is `x` (Aleksandr, Alexander,
 * Alexandr; Maksim, Maxim), two slips apart in one part, so the English rendering of a Russian name
 * and its transliterations were strangers. Pinyin never writes `ks` (no syllable ends in `k`), so
 * no pinyin word, nor a misspelt one, is changed. (German umlauts, written two ways too, are
 * spellings of their own: `latinSpellings`.)
 */
function latinSpelling(w: string): string {
  return w.includes('ks') ? w.replaceAll('ks', 'x') : w;
}

/**
 * Pinyin written with tone numbers (`Wang2 Jian4hua2`, as dictionaries and keyboards without tone
 * marks write it) is the same name as `Wáng Jiànhuá`: a word whose digits 1-5 each follow one whole
 * syllable loses them. Any other word with digits (`1982`, `li9`) is left as written.
 */
function withoutToneNumbers(word: string): string {
  const w = word.normalize('NFKC');
  if (!/^(?:[A-Za-zÜüÊê]+[1-5])+[A-Za-zÜüÊê]*$/.test(w)) return word;
  const chunks = w.split(/[1-5]/);
  const last = chunks.pop() as string;
  const syllable = (c: string): boolean => {
    const s = splitPinyin(uSpelling(foldText(c.replace(/[üÜ]/g, 'v'))));
    return s !== undefined && s.length === 1;
  };
  if (!chunks.every(syllable)) return word;
  // A syllable without a number after it is in the neutral tone (`ma5` is also written `ma`).
  if (last !== '' && splitPinyin(uSpelling(foldText(last.replace(/[üÜ]/g, 'v')))) === undefined) return word;
  return w.replace(/[1-5]/g, '');
}

/** Whether Latin words are the syllables read off the characters, in any order. */
function sameSyllables(pinyin: readonly string[], latin: readonly string[]): boolean {
  const split = latin.flatMap((w) => splitPinyin(w) ?? [w]);
  if (split.length !== pinyin.length) return false;
  const a = [...pinyin].sort();
  return [...split].sort().every((x, i) => x === a[i]);
}

/** `lü`, `lv` and `lyu` are one spelling. */
function uSpelling(w: string): string {
  return w.replace(/^(l|n)(v|yu)(?=$|e|a|n)/, '$1u');
}

function isPinyinSyllable(w: string): boolean {
  const s = splitPinyin(w);
  return s !== undefined && s.length === 1;
}

interface LatinWord {
  /** The folded tokens of the word as written (`Co.,Ltd.` gives co, ltd). */
  readonly tokens: readonly string[];
  /** What it reads as one word: its letters joined when written with dots (`S.A.` is sa). */
  readonly word: string;
  /** Letters separated by dots (`S.A.`, `L.L.C.`, `e.V.`), or a run of single letters ending the name (`L. L. C.`). */
  readonly dotted: boolean;
  /** Written in capitals only. */
  readonly upper: boolean;
  /** Letters and a full stop (`Co.`): an abbreviation. */
  readonly abbreviated: boolean;
}

/**
 * The words of a Latin name as written, each folded. Legal forms are written with dots too: a
 * word of dotted letters reads as the letters joined, and so does a run of two or more single
 * letters ending the name (`Emma L. L. C.`); initials before a name (`A. S. Byatt`) stay initials.
 */
function latinWords(text: string): LatinWord[] {
  const out: LatinWord[] = [];
  for (const raw of text.split(/\s+/)) {
    // `Smith & Co`: the ampersand says the next word is a firm's.
    if (raw === '&') {
      out.push({ tokens: [], word: '&', dotted: false, upper: false, abbreviated: false });
      continue;
    }
    const folded = foldText(raw);
    if (folded.length === 0) continue;
    const tokens = folded.split(' ');
    const dotted = tokens.length > 1 && /^(?:\p{L}\.)+\p{L}?\.?$/u.test(raw);
    out.push({
      tokens,
      word: dotted ? tokens.join('') : folded,
      dotted,
      upper: !/\p{Ll}/u.test(raw) && /\p{Lu}/u.test(raw),
      abbreviated: /^\p{L}+\.,?$/u.test(raw),
    });
  }
  let start = out.length;
  while (start > 0 && out[start - 1]?.word.length === 1 && out[start - 1]?.word !== '&') start--;
  if (out.length - start >= 2) {
    const run = out.splice(start);
    const word = run.map((w) => w.word).join('');
    if (isLegalForm(word))
      out.push({ tokens: [word], word, dotted: true, upper: run.every((w) => w.upper), abbreviated: false });
    else out.push(...run);
  }
  return out;
}
