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
