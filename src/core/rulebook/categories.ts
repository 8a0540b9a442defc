/**
 * The closed list of event categories a rulebook may declare: the contexts of
 * life whose data Credence may score. Extending it needs a written reason in
 * docs/policy.md.
 */
export const ALLOWED_CATEGORIES = [
  'commerce',
  'payment',
  'credit',
  'legal',
  'identity',
  'telecom',
  'utility',
  'platform-activity',
  'contract',
] as const;

export type Category = (typeof ALLOWED_CATEGORIES)[number];

/** What each category covers, in the words of docs/policy.md's table (shown to scored people). */
export const CATEGORY_WORDS: Readonly<Record<Category, string>> = {
  commerce: 'purchases, orders, returns, marketplace activity',
  payment: 'payments made or received through a payment service',
  credit: 'loans, repayments, arrears, bureau data',
  legal: 'court judgments, enforcement, registry listings',
  identity: 'identity verification (KYC), document checks',
  telecom: 'phone contracts and their payment',
  utility: 'water, gas, electricity, heating contracts and their payment',
  'platform-activity': "use of an operator's platforms (log-ins, account age)",
  contract: 'other contracts: leases, rentals, insurance',
};

/** Special categories of personal data (GDPR Art. 9 and the EU AI Act's social-scoring line). */
export const SPECIAL_CATEGORIES = [
  'political',
  'religion',
  'ethnicity',
  'health',
  'sex-life',
  'trade-union',
  'biometric',
  'genetic',
] as const;

export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

export function isAllowedCategory(c: string): c is Category {
  return (ALLOWED_CATEGORIES as readonly string[]).includes(c);
}
