export { type AlignedPart, type Alignment, alignNames, TOKEN_THRESHOLD } from './align.js';
export { HAN_LEGAL_FORMS, isLegalForm, isTitle } from './legal-forms.js';
export { type NameTokens, nameTokens } from './name-tokens.js';
export { splitPinyin } from './pinyin-syllables.js';
export {
  compareCountry,
  compareDob,
  compareId,
  compareSex,
  dobDigits,
  type QualifierNote,
} from './qualifiers.js';
export { ScreenIndex, skeleton } from './screen-index.js';
export { osa, tokenSimilarity } from './similarity.js';
export type { ListedPerson, ScreenCandidate, ScreenOptions, ScreenQuery, ScreenResult } from './types.js';
