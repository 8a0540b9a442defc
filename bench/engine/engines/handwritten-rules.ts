import type { FactData } from '../ledger-book.js';

/** A rule written by hand in TypeScript: what a programmer would write instead of a rulebook. */
export interface HandRule {
  readonly when?: (d: FactData) => boolean;
  readonly points: (d: FactData) => number;
}

const n = (d: FactData, f: string): number => d[f] as number;
const s = (d: FactData, f: string): string => d[f] as string;
const b = (d: FactData, f: string): boolean => d[f] as boolean;
const onTime = (d: FactData): boolean => n(d, 'days_late') <= 0;

/**
 * The 50 rules of fixtures/bench-50.yaml, by rule id, written by hand (not generated), so the
 * bench can tell how far compiled CEL is from plain code. Caps, order and ledger entries come
 * from the shared LedgerBook.
 */
export const HAND_RULES: Readonly<Record<string, HandRule>> = {
  'pay-regular': { points: (d) => (n(d, 'amount') >= 100 ? 2 : 1) },
  'pay-large': { when: (d) => n(d, 'amount') >= 1000, points: () => 3 },
  'pay-app': { when: (d) => s(d, 'channel') === 'app', points: () => 1 },
  'pay-partner': {
    when: (d) => s(d, 'merchant_tier') === 'gold' || s(d, 'merchant_tier') === 'platinum',
    points: (d) => (s(d, 'merchant_tier') === 'platinum' ? 2 : 1),
  },
  'pay-recurring': { when: (d) => b(d, 'recurring'), points: () => 1 },

  purchase: { points: (d) => (n(d, 'amount') >= 200 ? 2 : 1) },
  'purchase-big': { when: (d) => n(d, 'amount') >= 2000 && !b(d, 'returned'), points: () => 5 },
  'purchase-returned': { when: (d) => b(d, 'returned'), points: () => -1 },
  'purchase-essentials': {
    when: (d) => s(d, 'category') === 'groceries' || s(d, 'category') === 'utilities',
    points: () => 1,
  },
  'purchase-travel': { when: (d) => s(d, 'category') === 'travel' && n(d, 'amount') >= 500, points: () => 2 },

  'loan-ontime': { when: onTime, points: (d) => (n(d, 'amount') >= 5000 ? 10 : 5) },
  'loan-late-minor': { when: (d) => n(d, 'days_late') > 0 && n(d, 'days_late') <= 30, points: () => -10 },
  'loan-late-major': {
    when: (d) => n(d, 'days_late') > 30,
    points: (d) => (n(d, 'days_late') > 90 ? -40 : -20),
  },
  'loan-large': { when: (d) => n(d, 'amount') >= 20000 && onTime(d), points: () => 5 },
  'loan-any': { points: () => 1 },

  default: { points: (d) => (n(d, 'amount') >= 10000 ? -50 : -20) },
  'default-private': { when: (d) => s(d, 'lender_kind') === 'private', points: () => -20 },
  'default-bank': { when: (d) => s(d, 'lender_kind') === 'bank', points: () => -10 },
  'default-leasing': { when: (d) => s(d, 'lender_kind') === 'leasing', points: () => -20 },
  'default-insurance': { when: (d) => s(d, 'lender_kind') === 'insurance', points: () => -20 },

  'bill-ontime': { when: onTime, points: () => 1 },
  'bill-late': { when: (d) => n(d, 'days_late') > 0, points: (d) => (n(d, 'days_late') > 30 ? -20 : -5) },
  'bill-power': { when: (d) => s(d, 'utility') === 'power' && onTime(d), points: () => 1 },
  'bill-water': { when: (d) => s(d, 'utility') === 'water' && onTime(d), points: () => 1 },
  'bill-large': { when: (d) => n(d, 'amount') >= 500 && onTime(d), points: () => 2 },

  'phone-ontime': { when: onTime, points: () => 1 },
  'phone-late': { when: (d) => n(d, 'days_late') > 0, points: (d) => (n(d, 'days_late') > 60 ? -15 : -3) },
  'phone-postpaid': { when: (d) => s(d, 'plan') === 'postpaid' && onTime(d), points: () => 1 },
  'phone-family': { when: (d) => s(d, 'plan') === 'family', points: () => 1 },
  'phone-big': { when: (d) => n(d, 'amount') >= 300, points: () => 1 },

  'rent-ontime': { when: onTime, points: (d) => (n(d, 'amount') >= 3000 ? 4 : 2) },
  'rent-late': { when: (d) => n(d, 'days_late') > 0, points: (d) => (n(d, 'days_late') > 30 ? -25 : -8) },
  'rent-deposit-free': { when: (d) => b(d, 'deposit_free') && onTime(d), points: () => 2 },
  'rent-high': { when: (d) => n(d, 'amount') >= 5000 && onTime(d), points: () => 1 },
  'rent-any': { points: () => 1 },

  'unpaid-judgment': { when: (d) => n(d, 'amount') > 0, points: () => -50 },
  'unpaid-debt': { when: (d) => s(d, 'kind') === 'debt', points: () => -30 },
  'unpaid-fees': { when: (d) => s(d, 'kind') === 'fees', points: () => -50 },
  'unpaid-fraud': { when: (d) => s(d, 'kind') === 'fraud', points: () => -30 },
  'unpaid-large': { when: (d) => n(d, 'amount') >= 100000, points: () => -20 },

  'id-verified': { points: () => 10 },
  'id-passport': { when: (d) => s(d, 'method') === 'passport', points: () => 5 },
  'id-resident': { when: (d) => s(d, 'method') === 'resident_id', points: () => 5 },
  'id-level': { when: (d) => n(d, 'level') >= 3, points: (d) => (n(d, 'level') >= 4 ? 10 : 5) },
  'id-phone': { when: (d) => s(d, 'method') === 'phone', points: () => 2 },

  order: { points: () => 1 },
  'order-seller': { when: (d) => s(d, 'role') === 'seller', points: (d) => (n(d, 'rating') >= 4.5 ? 2 : 1) },
  'order-bad-rating': { when: (d) => n(d, 'rating') < 2, points: () => -2 },
  'order-big': { when: (d) => n(d, 'amount') >= 1000, points: () => 2 },
  'order-five-star': { when: (d) => n(d, 'rating') >= 5, points: () => 1 },
};
