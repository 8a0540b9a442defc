import { foldText, hanToPinyin, hasHan } from '../identity/normalise/text.js';
import { HAN_LEGAL_FORMS, isLegalForm, isTitle } from './legal-forms.js';
import { splitPinyin } from './pinyin-syllables.js';

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
 * Folds a name into comparable parts: Chinese characters become pinyin syllables, Latin words are
 * folded (case, diacritics, punctuation) and, when every word is pinyin, split into syllables, so
 * `王建华`, `Wang Jianhua`, `Jian-Hua WANG` and `wang jian hua` all give `wang jian hua`. Legal-form
 * words and titles are dropped and remembered.
 *
 * @example
 * nameTokens('Emma LLC') // { tokens: ['emma'], organisation: true, chinese: false }
 * nameTokens('王建华').tokens // ['wang', 'jian', 'hua']
 */
export function nameTokens(name: string): NameTokens {
  let text = name;
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
  const latin = han ? (text.match(/[A-Za-z][A-Za-z.&'-]*/g) ?? []).join(' ') : text;
  const hanPart = han ? text.replace(/[A-Za-z][A-Za-z.&'-]*/g, ' ') : '';
  const folded = foldText(han ? `${hanToPinyin(hanPart, true).join(' ')} ${latin}` : text);
  const words: string[] = [];
  for (const w of folded.split(' ')) {
    if (w.length === 0) continue;
    if (isLegalForm(w)) {
      organisation = true;
      continue;
    }
    if (isTitle(w)) continue;
    words.push(w.replace(/^(l|n)(v|yu)(?=$|e|a|n)/, '$1u'));
  }
  if (han) return { tokens: words, organisation, chinese: true };
  const split = words.map(splitPinyin);
  if (words.length > 0 && split.every((s) => s !== undefined)) {
    return { tokens: split.flat() as string[], organisation, chinese: true };
  }
  return { tokens: words, organisation, chinese: false };
}
