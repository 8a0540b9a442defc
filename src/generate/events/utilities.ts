import type { Prng } from '../prng.js';
import { amount, DAY, type Timeline } from './timeline.js';

/** Two-monthly bills of the household's account, late fees for the sloppy, rare theft or damage. */
export function utilities(r: Prng, t: Timeline): void {
  // Half the people hold the household's utility account.
  if (!r.chance(0.5)) return;
  const { start, end } = t.span;
  const sloppy = r.chance(0.15);
  let k = 0;
  for (let due = start + r.next() * 60 * DAY; due < end; due += 60 * DAY, k++) {
    const kind = k % 2 === 0 ? 'electricity' : 'water';
    const bill = amount(r, 30, 600);
    const onTime = r.chance(sloppy ? 0.6 : 0.97);
    const late = onTime ? 0 : r.chance(0.5) ? r.between(1, 25) : r.between(32, 75);
    // The arrears notice goes out on day 31; a bill that late is paid from day 32 on.
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
