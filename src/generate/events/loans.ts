import type { SyntheticPerson } from '../person.js';
import type { Prng } from '../prng.js';
import { DAY, MONTH, money, type Timeline } from './timeline.js';

const LENDER = 'Rongcheng Rural Commercial Bank';

interface LoanOutcome {
  defaultedAt?: number;
}

/** Monthly instalments; a missed one is reported each cycle until paid, and after three it defaults. */
function loan(r: Prng, t: Timeline, loan: string, missRate: number): LoanOutcome {
  const { start, end } = t.span;
  const instalment = money(200 + r.next() * 3000);
  const lender = LENDER;
  // Loans run 6 to 36 months and may have started before the span or start within it; only
  // what falls inside the span is reported (facts are built only then: this loop is hot).
  let due = start - 12 * MONTH + r.next() * 18 * MONTH;
  const last = due + r.between(6, 36) * MONTH;
  while (due < end && due < last) {
    if (!r.chance(missRate)) {
      const late = r.chance(0.05) ? r.between(1, 10) : 0;
      const at = due + late * DAY + r.next() * DAY;
      if (t.covers(at))
        t.add(at, 'bank', 'loan.repaid', { lender, loan, amount: instalment, days_late: late });
      due += MONTH;
      continue;
    }
    let cycle = 1;
    for (; cycle <= 3; cycle++) {
      const at = due + cycle * MONTH;
      if (t.covers(at)) {
        t.add(at, 'bank', 'loan.overdue', { lender, loan, amount: money(instalment * cycle), cycle }, true);
      }
      if (cycle < 3 && r.chance(0.6)) break;
    }
    if (cycle > 3) {
      const defaultedAt = due + 3 * MONTH + r.between(1, 20) * DAY;
      const amount = money(instalment * 12);
      t.add(defaultedAt, 'bank', 'loan.defaulted', { lender, loan, amount });
      if (r.chance(0.4))
        t.add(defaultedAt + r.between(30, 240) * DAY, 'bank', 'loan.settled', { lender, loan, amount });
      return { defaultedAt };
    }
    const paidLate = due + cycle * MONTH + r.between(1, 25) * DAY;
    t.add(paidLate, 'bank', 'loan.repaid', {
      lender,
      loan,
      amount: money(instalment * cycle),
      days_late: Math.round((paidLate - due) / DAY),
    });
    due += (cycle + 1) * MONTH;
  }
  return {};
}

/** The bank's loans for one person; returns when a loan first defaulted, if one did. */
export function loans(r: Prng, p: SyntheticPerson, t: Timeline): number | undefined {
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
