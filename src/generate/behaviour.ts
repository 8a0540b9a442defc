import type { FieldValue } from '../core/facts/fact.js';
import type { SyntheticPerson } from './person.js';
import type { Prng } from './prng.js';
import type { SourceId } from './sources.js';

const DAY = 86_400_000;
const MONTH = 30 * DAY;

/** Something that happened to a person, before a source turns it into a fact. */
export interface PlannedEvent {
  readonly at: number;
  readonly source: SourceId;
  readonly type: string;
  readonly data: Record<string, FieldValue>;
  /** Whether the source may later retract it (a refund, a correction). */
  readonly retractable?: boolean;
}

/** The span of time facts fall in: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// Monthly rates of platform use by engagement. With the other sources this gives about 20 facts
// per person and year on average.
const PLATFORM_RATES = {
  heavy: { pay: 1.2, shop: 0.5, ride: 0.35, food: 0.5, rental: 0.2 },
  light: { pay: 0.35, shop: 0.18, ride: 0.1, food: 0.15, rental: 0.06 },
  dormant: { pay: 0.6, shop: 0.3, ride: 0.15, food: 0.25, rental: 0.1 },
  none: { pay: 0, shop: 0, ride: 0, food: 0, rental: 0 },
} as const;

const money = (x: number): number => Math.round(x * 100) / 100;
// Log-uniform amounts: many small payments, a few large ones.
const amount = (r: Prng, lo: number, hi: number): number => money(lo * (hi / lo) ** r.next());

const COURTS = [
  "Rongcheng People's Court",
  "Weihai Intermediate People's Court",
  "Huancui District People's Court",
];
const LISTING_GROUNDS = [
  'able to perform but refuses',
  'obstructs enforcement',
  'evades enforcement by hidden assets',
  'breaks asset reporting',
  'breaks a consumption-restriction order',
  'breaks a settlement',
];
const LENDER = 'Rongcheng Rural Commercial Bank';

/** Collects events, dropping those outside the span (a source reports nothing from the future). */
class Timeline {
  readonly events: PlannedEvent[] = [];
  constructor(readonly span: Span) {}
  add(
    at: number,
    source: SourceId,
    type: string,
    data: Record<string, FieldValue>,
    retractable = false,
  ): boolean {
    if (at < this.span.start || at >= this.span.end) return false;
    this.events.push({ at: Math.floor(at / 1000) * 1000, source, type, data, retractable });
    return true;
  }
}

function spread(r: Prng, from: number, to: number, perMonth: number, emit: (at: number) => void): void {
  if (to <= from) return;
  const n = r.poisson((perMonth * (to - from)) / MONTH);
  for (let i = 0; i < n; i++) emit(from + r.next() * (to - from));
}

function platforms(r: Prng, p: SyntheticPerson, t: Timeline): void {
  const { start, end } = t.span;
  const rates = PLATFORM_RATES[p.engagement];
  if (p.engagement === 'none') return;
  // Dormant people used the platforms early in the span and then stopped for good.
  const activeEnd = p.engagement === 'dormant' ? start + Math.min(120 * DAY, (end - start) / 3) : end;
  if (r.chance(0.85)) {
    t.add(start + r.next() * Math.min(30 * DAY, activeEnd - start), 'pay', 'identity.verified', {
      method: p.passport ? 'passport' : r.pick(['id-card+phone', 'id-card+phone', 'bank-card']),
    });
  }
  spread(r, start, activeEnd, rates.pay, (at) => {
    t.add(at, 'pay', 'payment.completed', { amount: amount(r, 2, 3000) }, true);
  });
  spread(r, start, activeEnd, rates.shop, (at) => {
    t.add(at, 'shop', 'purchase.completed', { amount: amount(r, 5, 2000), items: r.between(1, 5) }, true);
  });
  spread(r, start, activeEnd, rates.ride, (at) => {
    t.add(at, 'ride', 'ride.completed', { amount: amount(r, 2, 120) });
  });
  spread(r, start, activeEnd, rates.food, (at) => {
    t.add(at, 'food', 'food.order_completed', { amount: amount(r, 12, 300) });
  });
  spread(r, start, activeEnd, rates.rental, (at) => {
    t.add(
      at,
      'ride',
      'rental.returned',
      { item: r.pick(['bike', 'bike', 'power-bank']), on_time: !r.chance(0.08) },
      true,
    );
  });
  if (p.engagement === 'heavy') {
    // A quarterly balance statement from the wallet.
    const wealth = r.next();
    for (let at = start + r.next() * 90 * DAY; at < end; at += 91 * DAY) {
      t.add(at, 'pay', 'wallet.balance_reported', {
        balance: money(wealth * wealth * 40000 * (0.6 + 0.8 * r.next())),
      });
    }
  }
}

interface LoanOutcome {
  defaultedAt?: number;
}

/** Monthly instalments; a missed one is reported each cycle until paid, and after three it defaults. */
function loan(r: Prng, t: Timeline, loanNo: string, missRate: number): LoanOutcome {
  const { start, end } = t.span;
  const instalment = money(200 + r.next() * 3000);
  const base = { lender: LENDER, loan: loanNo };
  // Loans run 6 to 36 months and may have started before the span or start within it; only
  // what falls inside the span is reported.
  let due = start - 12 * MONTH + r.next() * 18 * MONTH;
  const last = due + r.between(6, 36) * MONTH;
  while (due < end && due < last) {
    if (!r.chance(missRate)) {
      const late = r.chance(0.05) ? r.between(1, 10) : 0;
      t.add(due + late * DAY + r.next() * DAY, 'bank', 'loan.repaid', {
        ...base,
        amount: instalment,
        days_late: late,
      });
      due += MONTH;
      continue;
    }
    let cycle = 1;
    for (; cycle <= 3; cycle++) {
      t.add(
        due + cycle * MONTH,
        'bank',
        'loan.overdue',
        { ...base, amount: money(instalment * cycle), cycle },
        true,
      );
      if (cycle < 3 && r.chance(0.6)) break;
    }
    if (cycle > 3) {
      const defaultedAt = due + 3 * MONTH + r.between(1, 20) * DAY;
      t.add(defaultedAt, 'bank', 'loan.defaulted', { ...base, amount: money(instalment * 12) });
      if (r.chance(0.4)) {
        t.add(defaultedAt + r.between(30, 240) * DAY, 'bank', 'loan.settled', {
          ...base,
          amount: money(instalment * 12),
        });
      }
      return { defaultedAt };
    }
    const paidLate = due + cycle * MONTH + r.between(1, 25) * DAY;
    t.add(paidLate, 'bank', 'loan.repaid', {
      ...base,
      amount: money(instalment * cycle),
      days_late: Math.round((paidLate - due) / DAY),
    });
    due += (cycle + 1) * MONTH;
  }
  return {};
}

function bank(r: Prng, p: SyntheticPerson, t: Timeline): number | undefined {
  // A third of people borrow from the bank at some point around the span.
  if (!r.chance(0.33)) return undefined;
  const risk = r.next();
  const missRate = risk < 0.8 ? 0.01 : risk < 0.95 ? 0.06 : 0.2;
  const loans = r.chance(0.2) ? 2 : 1;
  let defaultedAt: number | undefined;
  for (let k = 0; k < loans; k++) {
    const out = loan(r, t, `L${String(p.index).padStart(8, '0')}-${k + 1}`, missRate);
    defaultedAt ??= out.defaultedAt;
  }
  return defaultedAt;
}

function utility(r: Prng, t: Timeline): void {
  // Half the people hold the household's utility account.
  if (!r.chance(0.5)) return;
  const { start, end } = t.span;
  const sloppy = r.chance(0.15);
  let k = 0;
  for (let due = start + r.next() * 60 * DAY; due < end; due += 60 * DAY, k++) {
    const kind = k % 2 === 0 ? 'electricity' : 'water';
    const bill = amount(r, 30, 600);
    const onTime = r.chance(sloppy ? 0.6 : 0.97);
    const late = onTime ? 0 : r.chance(0.5) ? r.between(1, 25) : r.between(31, 75);
    if (late > 30) {
      t.add(
        due + 31 * DAY,
        'utility',
        'utility.arrears_notice',
        { utility: kind, amount: bill, days_overdue: 31 },
        true,
      );
    }
    t.add(due + late * DAY + r.next() * DAY, 'utility', 'utility.bill_paid', {
      utility: kind,
      amount: bill,
      days_late: late,
    });
  }
  if (r.chance(0.004))
    t.add(start + r.next() * (end - start), 'utility', 'utility.theft_found', {
      utility: r.pick(['electricity', 'water', 'gas']),
    });
  if (r.chance(0.0015))
    t.add(start + r.next() * (end - start), 'utility', 'utility.equipment_damaged', {
      utility: r.pick(['electricity', 'water', 'gas']),
    });
}

function caseCode(r: Prng, at: number, kind: string): string {
  // Case codes as courts write them: (year) court code, kind, number.
  return `(${new Date(at).getUTCFullYear()})Lu1082${kind}${r.between(100, 9999)}`;
}

/** A court case: a finding, perhaps a listing as dishonest debtor, perhaps its removal later. */
function courtCase(r: Prng, t: Timeline, at: number, type: string, listP: number): void {
  const court = r.pick(COURTS);
  const c = caseCode(r, at, type === 'court.judgment_unpaid' ? 'Zhi' : 'Minchu');
  t.add(
    at,
    'court',
    type,
    { court, case: c, amount: amount(r, 2000, 200000) },
    type === 'court.judgment_unpaid',
  );
  if (!r.chance(listP)) return;
  const listedAt = at + r.between(30, 120) * DAY;
  if (
    !t.add(listedAt, 'court', 'court.blacklist_listed', { court, case: c, ground: r.pick(LISTING_GROUNDS) })
  )
    return;
  // DOMAIN: deleted early once the obligation is performed; otherwise the two-year term runs on.
  if (r.chance(0.45))
    t.add(listedAt + r.between(20, 200) * DAY, 'court', 'court.blacklist_removed', { court, case: c });
}

function courts(r: Prng, t: Timeline, defaultedAt: number | undefined): void {
  const { start, end } = t.span;
  const anyTime = (): number => start + r.next() * (end - start);
  if (defaultedAt !== undefined && r.chance(0.5)) {
    courtCase(r, t, defaultedAt + r.between(40, 150) * DAY, 'court.judgment_unpaid', 0.6);
  }
  // Private disputes that reach a court, unrelated to the bank.
  if (r.chance(0.012)) courtCase(r, t, anyTime(), 'court.judgment_unpaid', 0.5);
  if (r.chance(0.01)) courtCase(r, t, anyTime(), 'court.breach_found', 0.3);
  if (r.chance(0.005)) courtCase(r, t, anyTime(), 'court.private_loan_breach', 0.2);
  if (r.chance(0.003)) courtCase(r, t, anyTime(), 'court.fee_arrears', 0.2);
  if (r.chance(0.003)) {
    const at = anyTime();
    t.add(at, 'market-regulator', 'regulator.penalty', {
      authority: 'Rongcheng Market Supervision Administration',
      case: `RC-MSA-${new Date(at).getUTCFullYear()}-${r.between(1000, 9999)}`,
      offence: r.pick(['commercial-fraud', 'counterfeit-goods', 'pyramid-selling', 'illegal-fundraising']),
    });
  }
}

function consent(r: Prng, p: SyntheticPerson, t: Timeline): void {
  const { start, end } = t.span;
  // Most residents sign up for the civic pilot at the enrolment desk; a few leave again.
  if (r.chance(0.7)) {
    const joined = start + r.next() * (end - start) * 0.5;
    t.add(joined, 'city-civic-enrolment', 'credence.opt_in', { program: 'city-civic' });
    if (r.chance(0.03))
      t.add(joined + r.next() * (end - joined), 'city-civic-enrolment', 'credence.opt_out', {
        program: 'city-civic',
      });
  }
  if (p.engagement !== 'none' && r.chance(0.03)) {
    t.add(start + r.next() * (end - start), 'marketplace-enrolment', 'credence.opt_out', {
      program: 'marketplace',
    });
  }
}

/**
 * Everything that happens to one person within the span, in no particular order.
 *
 * @example
 * planEvents(new Prng(7), person, { start, end }).length // about 20 for a one-year span
 */
export function planEvents(r: Prng, p: SyntheticPerson, span: Span): PlannedEvent[] {
  const t = new Timeline(span);
  platforms(r, p, t);
  const defaultedAt = bank(r, p, t);
  utility(r, t);
  courts(r, t, defaultedAt);
  consent(r, p, t);
  return t.events;
}
