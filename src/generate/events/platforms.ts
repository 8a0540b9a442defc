import type { SyntheticPerson } from '../person.js';
import type { Prng } from '../prng.js';
import { amount, DAY, money, spread, type Timeline } from './timeline.js';

// Monthly rates of platform use by engagement. With the other sources this gives about 20 facts
// per person and year on average.
const PLATFORM_RATES = {
  heavy: { pay: 1.2, shop: 0.5, ride: 0.35, food: 0.5, rental: 0.2 },
  light: { pay: 0.35, shop: 0.18, ride: 0.1, food: 0.15, rental: 0.06 },
  dormant: { pay: 0.6, shop: 0.3, ride: 0.15, food: 0.25, rental: 0.1 },
  none: { pay: 0, shop: 0, ride: 0, food: 0, rental: 0 },
} as const;

/** The operator's four platforms: payments, purchases, rides and rentals, orders, balances. */
export function platforms(r: Prng, p: SyntheticPerson, t: Timeline): void {
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
