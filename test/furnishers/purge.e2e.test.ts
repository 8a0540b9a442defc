import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, dumpDatabase, line, MARKETPLACE, makeWorld, payment, type World } from '../e2e/cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
const NA = { national_id: '110101199003074514' };
const DAY = 86_400_000;

function ledgerKeys(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (
      d.prepare('SELECT DISTINCT fact_key FROM ledger ORDER BY fact_key').all() as { fact_key: string }[]
    ).map((r) => r.fact_key);
  } finally {
    d.close();
  }
}

describe('credence purge (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('deletes exactly the facts past their type retention, with their ledger lines, and says how many', () => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    // Dates relative to now: ingest refuses a fact already past retention, so the purge looks two
    // years ahead. payment.completed is kept 3 years (P3Y): at ASOF the cutoff is a year ago.
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    const ASOF = at(2 * 365);
    const facts = [
      payment('p-old', at(-365 - 30), WEI, 50),
      payment('p-edge', at(-365 + 2), WEI, 50),
      payment('p-new', at(-10), WEI, 50),
      payment('p-na', at(-365 - 200), NA, 50),
      // identity.verified has no retain: kept however old.
      line({
        id: 'v-1',
        source: 'pay',
        type: 'identity.verified',
        occurredAt: '2020-01-01T00:00:00Z',
        subject: WEI,
        data: { method: 'passport' },
      }),
      // A retraction of an old fact goes with it.
      line({ id: 'p-na-x', source: 'pay', retracts: 'p-na', occurredAt: at(-365 - 170) }),
      // loan.repaid is P5Y in both programs: a repayment two years old stays.
      line({
        id: 'b-1',
        source: 'bank',
        type: 'loan.repaid',
        occurredAt: at(-2 * 365),
        subject: WEI,
        data: { lender: 'x', loan: 'l1', amount: 10, days_late: 0 },
      }),
    ];
    const ing = w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` });
    expect(ing.code).toBe(0);
    const before = dumpDatabase(w.db);
    expect(ledgerKeys(w.db)).toContain('pay/p-old');

    const dry = w.json<Record<string, unknown>>(['purge', '--as-of', ASOF, '--dry-run']);
    expect(dry.facts).toBe(2);
    expect(dumpDatabase(w.db)).toEqual(before);

    const r = w.json<Record<string, unknown>>(['purge', '--as-of', ASOF, '--allow-future']);
    expect(r).toMatchObject({ facts: 2, byType: { 'payment.completed': 2 }, retractions: 1, people: 2 });
    // The dry run said what the purge then did: the same retractions and ledger lines, not zero.
    expect({ ...dry, dryRun: false }).toEqual(r);

    const after = dumpDatabase(w.db);
    const ids = (d: typeof before) => (d.facts as { id: string }[]).map((f) => f.id).sort();
    expect(ids(after)).toEqual(ids(before).filter((id) => !['p-old', 'p-na', 'p-na-x'].includes(id)));
    expect(ledgerKeys(w.db)).not.toContain('pay/p-old');
    expect(ledgerKeys(w.db)).toContain('pay/p-edge');
    expect(ledgerKeys(w.db)).toContain('bank/b-1');
    // Nothing else changed: subjects and consents are as they were, and so are the identifiers
    // of WEI, who has facts left. NA has none left: their identity is forgotten
    // (test/e2e/purge-identity.test.ts), so their ID number goes.
    expect(after.subjects).toEqual(before.subjects);
    expect(after.consents).toEqual(before.consents);
    const na = (before.facts as { id: string; subject: string }[]).find((f) => f.id === 'p-na')?.subject;
    expect(after.identifiers).toEqual(
      (before.identifiers as { subject: string }[]).filter((i) => i.subject !== na),
    );
    expect(after.identifiers).not.toEqual(before.identifiers);
    expect(r.forgotten).toEqual({ people: 1, identityRecords: 1, identifiers: 1, personTokens: 0 });

    // A second purge at the same instant finds nothing.
    expect(w.json<{ facts: number }>(['purge', '--as-of', ASOF, '--allow-future']).facts).toBe(0);
  });

  it('after a purge the ledger equals a fresh ingest of the kept facts', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    const ASOF = at(2 * 365);
    const kept = [payment('k1', at(-100), WEI, 150), payment('k2', at(-70), WEI, 150)];
    const old = [payment('o1', at(-365 - 30), WEI, 150)];
    w.run(['ingest', '-'], { input: `${[...old, ...kept].join('\n')}\n` });
    w.json(['purge', '--as-of', ASOF, '--allow-future']);
    const fresh = makeWorld({ programs: [MARKETPLACE] });
    try {
      fresh.run(['ingest', '-'], { input: `${kept.join('\n')}\n` });
      expect(dumpDatabase(w.db).ledger).toEqual(dumpDatabase(fresh.db).ledger);
      expect(dumpDatabase(w.db).scores).toEqual(dumpDatabase(fresh.db).scores);
    } finally {
      fresh.dispose();
    }
  });
});
