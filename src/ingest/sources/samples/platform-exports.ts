import { mixSeed, Prng } from '../../../generate/prng.js';
import { csvCell } from '../csv-reader.js';
import { residentAt } from './resident.js';

/** The operator's platforms that export activity for the marketplace program. */
export const PLATFORMS = ['pay', 'shop', 'ride'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_COLUMNS = [
  'record_id',
  'event',
  'occurred_at',
  'account',
  'phone',
  'national_id',
  'name',
  'amount',
  'items',
  'balance',
  'method',
  'item',
  'on_time',
] as const;

export interface PlatformOptions {
  readonly rows: number;
  readonly people: number;
  readonly seed?: number;
  /** End of the exported month (exclusive), ISO date (default 2026-07-01). */
  readonly end?: string;
}

/**
 * One platform's export of payments, purchases and account activity for a month: each row an
 * event with the platform's own record id, the account and what the platform knows of the person.
 */
export function* platformExport(platform: Platform, opts: PlatformOptions): Generator<string> {
  const seed = opts.seed ?? 1;
  const end = Date.parse(`${opts.end ?? '2026-07-01'}T00:00:00Z`);
  yield PLATFORM_COLUMNS.join(',');
  const salt = platform === 'pay' ? 0x11 : platform === 'shop' ? 0x22 : 0x33;
  for (let k = 0; k < opts.rows; k++) {
    const r = new Prng(mixSeed(seed ^ salt, k));
    const p = residentAt(seed, mixSeed(seed ^ (salt << 8), k) % opts.people, opts.people);
    const at = new Date(end - r.between(1, 30 * 24 * 60) * 60_000).toISOString().replace('.000', '');
    const row: Record<(typeof PLATFORM_COLUMNS)[number], string> = {
      record_id: `${platform}-${String(k + 1).padStart(8, '0')}`,
      event: '',
      occurred_at: at,
      account: '',
      phone: p.phone,
      national_id: '',
      name: '',
      amount: '',
      items: '',
      balance: '',
      method: '',
      item: '',
      on_time: '',
    };
    const x = r.next();
    if (platform === 'pay') {
      row.account = `pay:${p.handles.pay}`;
      row.national_id = p.nationalId;
      row.name = `${p.surname.pinyin} ${p.givenName.pinyin}`;
      if (x < 0.85)
        Object.assign(row, { event: 'payment', amount: (r.between(100, 50000) / 100).toFixed(2) });
      else if (x < 0.97) Object.assign(row, { event: 'balance', balance: String(r.between(0, 40000)) });
      else Object.assign(row, { event: 'verified', method: r.pick(['resident-id', 'passport']) });
    } else if (platform === 'shop') {
      row.account = `shop:${p.handles.shop}`;
      row.name = `${p.givenName.pinyin} ${p.surname.pinyin}`;
      Object.assign(row, {
        event: 'purchase',
        amount: (r.between(500, 80000) / 100).toFixed(2),
        items: String(r.between(1, 6)),
      });
    } else {
      row.name = p.surname.hanzi + p.givenName.hanzi;
      if (x < 0.7) Object.assign(row, { event: 'ride', amount: (r.between(150, 6000) / 100).toFixed(2) });
      else
        Object.assign(row, {
          event: 'rental',
          item: r.pick(['bike', 'power-bank']),
          on_time: r.chance(0.9) ? 'yes' : 'no',
        });
    }
    yield PLATFORM_COLUMNS.map((c) => csvCell(row[c])).join(',');
  }
}
