import type { FactData } from '../ledger-book.js';

/** A rule written by hand in TypeScript: what a programmer would write instead of a rulebook. */
export interface HandRule {
  readonly when?: (d: FactData) => boolean;
  readonly points: (d: FactData) => number;
}

// Plain property reads written out in each rule, as a programmer would; no shared helper, so
// every function's property loads stay monomorphic (the strongest baseline, not a straw man).

/**
 * The 50 rules of fixtures/bench-50.yaml, by rule id, written by hand (not generated), so the
 * bench can tell how far compiled CEL is from plain code. Caps, order and ledger entries come
 * from the shared LedgerBook.
 */
export const HAND_RULES: Readonly<Record<string, HandRule>> = {
  'pay-regular': { points: (d) => ((d.amount as number) >= 100 ? 2 : 1) },
  'pay-large': { when: (d) => (d.amount as number) >= 1000, points: () => 3 },
  'pay-app': { when: (d) => (d.channel as string) === 'app', points: () => 1 },
  'pay-partner': {
    when: (d) => (d.merchant_tier as string) === 'gold' || (d.merchant_tier as string) === 'platinum',
    points: (d) => ((d.merchant_tier as string) === 'platinum' ? 2 : 1),
  },
  'pay-recurring': { when: (d) => d.recurring as boolean, points: () => 1 },

  purchase: { points: (d) => ((d.amount as number) >= 200 ? 2 : 1) },
  'purchase-big': { when: (d) => (d.amount as number) >= 2000 && !(d.returned as boolean), points: () => 5 },
  'purchase-returned': { when: (d) => d.returned as boolean, points: () => -1 },
  'purchase-essentials': {
    when: (d) => (d.category as string) === 'groceries' || (d.category as string) === 'utilities',
    points: () => 1,
  },
  'purchase-travel': {
    when: (d) => (d.category as string) === 'travel' && (d.amount as number) >= 500,
    points: () => 2,
  },

  'loan-ontime': {
    when: (d) => (d.days_late as number) <= 0,
    points: (d) => ((d.amount as number) >= 5000 ? 10 : 5),
  },
  'loan-late-minor': {
    when: (d) => (d.days_late as number) > 0 && (d.days_late as number) <= 30,
    points: () => -10,
  },
  'loan-late-major': {
    when: (d) => (d.days_late as number) > 30,
    points: (d) => ((d.days_late as number) > 90 ? -40 : -20),
  },
  'loan-large': {
    when: (d) => (d.amount as number) >= 20000 && (d.days_late as number) <= 0,
    points: () => 5,
  },
  'loan-any': { points: () => 1 },

  default: { points: (d) => ((d.amount as number) >= 10000 ? -50 : -20) },
  'default-private': { when: (d) => (d.lender_kind as string) === 'private', points: () => -20 },
  'default-bank': { when: (d) => (d.lender_kind as string) === 'bank', points: () => -10 },
  'default-leasing': { when: (d) => (d.lender_kind as string) === 'leasing', points: () => -20 },
  'default-insurance': { when: (d) => (d.lender_kind as string) === 'insurance', points: () => -20 },

  'bill-ontime': { when: (d) => (d.days_late as number) <= 0, points: () => 1 },
  'bill-late': {
    when: (d) => (d.days_late as number) > 0,
    points: (d) => ((d.days_late as number) > 30 ? -20 : -5),
  },
  'bill-power': {
    when: (d) => (d.utility as string) === 'power' && (d.days_late as number) <= 0,
    points: () => 1,
  },
  'bill-water': {
    when: (d) => (d.utility as string) === 'water' && (d.days_late as number) <= 0,
    points: () => 1,
  },
  'bill-large': { when: (d) => (d.amount as number) >= 500 && (d.days_late as number) <= 0, points: () => 2 },

  'phone-ontime': { when: (d) => (d.days_late as number) <= 0, points: () => 1 },
  'phone-late': {
    when: (d) => (d.days_late as number) > 0,
    points: (d) => ((d.days_late as number) > 60 ? -15 : -3),
  },
  'phone-postpaid': {
    when: (d) => (d.plan as string) === 'postpaid' && (d.days_late as number) <= 0,
    points: () => 1,
  },
  'phone-family': { when: (d) => (d.plan as string) === 'family', points: () => 1 },
  'phone-big': { when: (d) => (d.amount as number) >= 300, points: () => 1 },

  'rent-ontime': {
    when: (d) => (d.days_late as number) <= 0,
    points: (d) => ((d.amount as number) >= 3000 ? 4 : 2),
  },
  'rent-late': {
    when: (d) => (d.days_late as number) > 0,
    points: (d) => ((d.days_late as number) > 30 ? -25 : -8),
  },
  'rent-deposit-free': {
    when: (d) => (d.deposit_free as boolean) && (d.days_late as number) <= 0,
    points: () => 2,
  },
  'rent-high': { when: (d) => (d.amount as number) >= 5000 && (d.days_late as number) <= 0, points: () => 1 },
  'rent-any': { points: () => 1 },

  'unpaid-judgment': { when: (d) => (d.amount as number) > 0, points: () => -50 },
  'unpaid-debt': { when: (d) => (d.kind as string) === 'debt', points: () => -30 },
  'unpaid-fees': { when: (d) => (d.kind as string) === 'fees', points: () => -50 },
  'unpaid-fraud': { when: (d) => (d.kind as string) === 'fraud', points: () => -30 },
  'unpaid-large': { when: (d) => (d.amount as number) >= 100000, points: () => -20 },

  'id-verified': { points: () => 10 },
  'id-passport': { when: (d) => (d.method as string) === 'passport', points: () => 5 },
  'id-resident': { when: (d) => (d.method as string) === 'resident_id', points: () => 5 },
  'id-level': { when: (d) => (d.level as number) >= 3, points: (d) => ((d.level as number) >= 4 ? 10 : 5) },
  'id-phone': { when: (d) => (d.method as string) === 'phone', points: () => 2 },

  order: { points: () => 1 },
  'order-seller': {
    when: (d) => (d.role as string) === 'seller',
    points: (d) => ((d.rating as number) >= 4.5 ? 2 : 1),
  },
  'order-bad-rating': { when: (d) => (d.rating as number) < 2, points: () => -2 },
  'order-big': { when: (d) => (d.amount as number) >= 1000, points: () => 2 },
  'order-five-star': { when: (d) => (d.rating as number) >= 5, points: () => 1 },
};
