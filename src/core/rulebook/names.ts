import type { SpecialCategory } from './categories.js';

// Names that say a rulebook scores special-category data. Matching is on words (split on
// punctuation and camelCase), by stem, so `protest_attended`, `attendedProtest` and
// `protests.joined` are all caught, while `unionpay.payment` (one word) is not.
/** Word stems that name special-category data: the stem, its category and what it names. */
export const SPECIAL_STEMS: ReadonlyArray<readonly [string, SpecialCategory, string]> = [
  ['protest', 'political', 'protests'],
  ['demonstrat', 'political', 'demonstrations'],
  ['petition', 'political', 'petitions'],
  ['politic', 'political', 'political opinion or activity'],
  ['election', 'political', 'elections'],
  ['voting', 'political', 'voting'],
  ['voter', 'political', 'voting'],
  ['dissent', 'political', 'dissent'],
  ['dissident', 'political', 'dissent'],
  ['activis', 'political', 'activism'],
  ['rally', 'political', 'rallies'],
  ['rallies', 'political', 'rallies'],
  ['religio', 'religion', 'religion'],
  ['church', 'religion', 'religious worship'],
  ['mosque', 'religion', 'religious worship'],
  ['synagogue', 'religion', 'religious worship'],
  ['temple', 'religion', 'religious worship'],
  ['worship', 'religion', 'religious worship'],
  ['prayer', 'religion', 'religious worship'],
  ['clergy', 'religion', 'religion'],
  ['ethnic', 'ethnicity', 'ethnic origin'],
  ['racial', 'ethnicity', 'racial origin'],
  ['ancestry', 'ethnicity', 'ethnic origin'],
  ['health', 'health', 'health'],
  ['medic', 'health', 'medical data'],
  ['diagnos', 'health', 'medical diagnoses'],
  ['disease', 'health', 'health'],
  ['illness', 'health', 'health'],
  ['hospital', 'health', 'hospital treatment'],
  ['patient', 'health', 'medical treatment'],
  ['clinic', 'health', 'medical treatment'],
  ['prescription', 'health', 'medical treatment'],
  ['pregnan', 'health', 'pregnancy'],
  ['disabilit', 'health', 'disability'],
  ['psychiatr', 'health', 'mental health'],
  ['vaccin', 'health', 'vaccination'],
  ['therap', 'health', 'medical treatment'],
  ['pharmac', 'health', 'medical treatment'],
  ['surger', 'health', 'medical treatment'],
  ['surgic', 'health', 'medical treatment'],
  ['symptom', 'health', 'health'],
  ['diabet', 'health', 'health'],
  ['insulin', 'health', 'health'],
  ['cancer', 'health', 'health'],
  ['covid', 'health', 'health'],
  ['addict', 'health', 'health'],
  ['abortion', 'health', 'reproductive health'],
  ['contracept', 'health', 'reproductive health'],
  ['psycholog', 'health', 'mental health'],
  ['dentist', 'health', 'medical treatment'],
  ['dental', 'health', 'medical treatment'],
  ['sexual', 'sex-life', 'sex life or orientation'],
  ['orientation', 'sex-life', 'sexual orientation'],
  ['lgbt', 'sex-life', 'sexual orientation'],
  ['transgender', 'sex-life', 'gender identity'],
  ['biometric', 'biometric', 'biometrics'],
  ['fingerprint', 'biometric', 'fingerprints'],
  ['faceprint', 'biometric', 'face recognition'],
  ['facial', 'biometric', 'face recognition'],
  ['voiceprint', 'biometric', 'voice prints'],
  ['genetic', 'genetic', 'genetics'],
  ['genom', 'genetic', 'genetics'],
];

// Every stem in one anchored alternation, in the table's order. A regular expression tries its
// alternatives in order, so the one that matches is the first stem of the table the word starts
// with: what a loop of `startsWith` over the table finds, in one native match per word. The loop
// ran cold (interpreted) over the 400-odd words of a rulebook's names at every compile, 5-7 ms of
// `credence score` on the reference machine.
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STEM_PATTERN = new RegExp(`^(?:${SPECIAL_STEMS.map(([stem]) => escapeRegExp(stem)).join('|')})`);
const STEM_HIT = new Map<string, readonly [SpecialCategory, string]>();
for (const [stem, category, what] of SPECIAL_STEMS)
  if (!STEM_HIT.has(stem)) STEM_HIT.set(stem, [category, what]);

// Short or ambiguous words match only whole.
const WORDS: ReadonlyMap<string, [SpecialCategory, string]> = new Map([
  ['vote', ['political', 'voting']],
  ['votes', ['political', 'voting']],
  ['speech', ['political', 'speech']],
  ['opinion', ['political', 'political opinion']],
  ['opinions', ['political', 'political opinion']],
  ['faith', ['religion', 'religion']],
  ['race', ['ethnicity', 'racial origin']],
  ['tribe', ['ethnicity', 'ethnic origin']],
  ['hiv', ['health', 'health']],
  ['blood', ['health', 'health']],
  ['picket', ['trade-union', 'trade-union action']],
  ['queer', ['sex-life', 'sexual orientation']],
  ['mental', ['health', 'mental health']],
  ['gay', ['sex-life', 'sexual orientation']],
  ['lesbian', ['sex-life', 'sexual orientation']],
  ['dating', ['sex-life', 'sex life']],
  ['iris', ['biometric', 'iris scans']],
  ['retina', ['biometric', 'retina scans']],
  ['gait', ['biometric', 'gait recognition']],
  ['dna', ['genetic', 'DNA']],
  ['gene', ['genetic', 'genetics']],
  ['genes', ['genetic', 'genetics']],
]);

// Word pairs: "union" alone is too common (credit union, UnionPay), "trade union" is not.
const PAIRS: ReadonlyMap<string, [SpecialCategory, string]> = new Map([
  ['trade union', ['trade-union', 'trade-union membership']],
  ['trade unions', ['trade-union', 'trade-union membership']],
  ['labor union', ['trade-union', 'trade-union membership']],
  ['labour union', ['trade-union', 'trade-union membership']],
  ['union member', ['trade-union', 'trade-union membership']],
  ['union membership', ['trade-union', 'trade-union membership']],
  ['union dues', ['trade-union', 'trade-union membership']],
  ['union meeting', ['trade-union', 'trade-union membership']],
  ['union meetings', ['trade-union', 'trade-union membership']],
  ['labor strike', ['trade-union', 'trade-union action']],
  ['labour strike', ['trade-union', 'trade-union action']],
  ['party joined', ['political', 'party membership']],
  ['pride march', ['sex-life', 'sexual orientation']],
  ['pride parade', ['sex-life', 'sexual orientation']],
  ['party member', ['political', 'party membership']],
  ['party membership', ['political', 'party membership']],
  ['sex life', ['sex-life', 'sex life']],
  ['face scan', ['biometric', 'face recognition']],
  ['face recognition', ['biometric', 'face recognition']],
  ['face id', ['biometric', 'face recognition']],
]);

export interface SpecialHit {
  readonly category: SpecialCategory;
  readonly word: string;
  readonly what: string;
}

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Says whether a name (an event type, field, rule, flag, dimension) refers to special-category data.
 *
 * @example
 * specialCategoryOf('protest.attended') // { category: 'political', word: 'protest', what: 'protests' }
 */
export function specialCategoryOf(name: string): SpecialHit | undefined {
  const ws = words(name);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    const next = ws[i + 1];
    if (next !== undefined) {
      const pair = PAIRS.get(`${w} ${next}`);
      if (pair) return { category: pair[0], word: `${w} ${next}`, what: pair[1] };
    }
    const whole = WORDS.get(w);
    if (whole) return { category: whole[0], word: w, what: whole[1] };
    const stem = specialStemOf(w);
    if (stem) return stem;
  }
  return undefined;
}

/**
 * The first stem of `SPECIAL_STEMS` a (lower-case) word starts with, as a hit; the last step of
 * `specialCategoryOf`, after word pairs and whole words.
 *
 * @example
 * specialStemOf('protesters') // { category: 'political', word: 'protesters', what: 'protests' }
 */
export function specialStemOf(word: string): SpecialHit | undefined {
  const stem = STEM_PATTERN.exec(word)?.[0];
  const hit = stem === undefined ? undefined : STEM_HIT.get(stem);
  return hit ? { category: hit[0], word, what: hit[1] } : undefined;
}

/** Category words a rulebook might use for a special category, mapped to it. */
export const SPECIAL_CATEGORY_WORDS: ReadonlyMap<string, SpecialCategory> = new Map([
  ['political', 'political'],
  ['politics', 'political'],
  ['political-opinion', 'political'],
  ['religion', 'religion'],
  ['religious', 'religion'],
  ['belief', 'religion'],
  ['ethnicity', 'ethnicity'],
  ['ethnic', 'ethnicity'],
  ['race', 'ethnicity'],
  ['health', 'health'],
  ['medical', 'health'],
  ['sex-life', 'sex-life'],
  ['sexual-orientation', 'sex-life'],
  ['sexuality', 'sex-life'],
  ['trade-union', 'trade-union'],
  ['union', 'trade-union'],
  ['biometric', 'biometric'],
  ['biometrics', 'biometric'],
  ['genetic', 'genetic'],
  ['genetics', 'genetic'],
]);
