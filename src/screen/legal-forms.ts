/**
 * Words that say what kind of body a name belongs to, not who: legal forms (LLC, GmbH, 有限公司)
 * and titles (Mr, Dr). They are never evidence of identity: screeners that let "LLC" or "Ltd"
 * match are what makes "Emma LLC" hit "Emma Daniels". A name made only of such words matches
 * nothing.
 */
const LEGAL_FORMS = [
  'llc',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'pc',
  'pllc',
  'llp',
  'lllp',
  'lp',
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'ev',
  'se',
  'sa',
  'sas',
  'sarl',
  'srl',
  'sl',
  'slu',
  'ltda',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'asa',
  'aps',
  'kk',
  'pte',
  'pty',
  'sdn',
  'bhd',
  'jsc',
  'pjsc',
  // Russian ООО, ЗАО, ОАО, ПАО; Ukrainian ТОВ; Greek Α.Ε., Ε.Π.Ε., Ι.Κ.Ε. (as `toLatin` spells them).
  'ooo',
  'zao',
  'oao',
  'pao',
  'tov',
  'ae',
  'epe',
  'ike',
  'group',
  'holding',
  'holdings',
  'trust',
  'foundation',
  'fund',
  'partners',
  'associates',
  'enterprises',
  'youxian',
  'gongsi',
  'youxiangongsi',
  'jituan',
] as const;

const TITLES = ['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'herr', 'frau', 'jr', 'sr'] as const;

/** Chinese legal-form words, removed before the name is turned into pinyin. */
export const HAN_LEGAL_FORMS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团',
  '公司',
  '合伙企业',
  '个体工商户',
  '商行',
  '经营部',
  '合作社',
  '事务所',
  '工作室',
];

const legal = new Set<string>(LEGAL_FORMS);
const titles = new Set<string>(TITLES);

/** True for a folded token that is a legal-form word (`llc`, `gmbh`, `ltd`). */
export function isLegalForm(token: string): boolean {
  return legal.has(token);
}

/** True for a folded token that is a title or honorific (`mr`, `dr`). */
export function isTitle(token: string): boolean {
  return titles.has(token);
}

/**
 * Legal-form words that are also people's names: `Co` (許, a Chinese-Filipino surname), `Sa` (Sá,
 * Portuguese; 萨), `Se` (세, a Korean given-name syllable: Pak Se Ri), `Ike` (a given name; Greek
 * Ι.Κ.Ε.). Such a word is a legal form only when written as a company's (`nameTokens`).
 */
const SURNAME_FORMS = new Set(['co', 'sa', 'se', 'ike']);

/** True for a legal-form word that is also a name part (`co`, `sa`). */
export function isSurnameForm(token: string): boolean {
  return SURNAME_FORMS.has(token);
}
