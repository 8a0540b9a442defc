import { describe, expect, it } from 'vitest';
import { identityWorld, people } from './identity-world.case.js';

const { freshStore, ingest } = identityWorld('credence-kyc-binding-');

// ICAO's specimen passport (every check digit right): Anna Maria Eriksson, UTO, L898902C3.
const MRZ = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
].join('\n');

const fact = (id: string, source: string, type: string, day: number, subject: object, data: object) =>
  JSON.stringify({
    id,
    source,
    type,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    subject,
    data,
  });

describe("a KYC desk's fact binds an account's phone and handle to the passport holder", () => {
  it('through its subject: the MRZ beside the phone and account, as the wallet sends identity.verified', async () => {
    const { store, path } = await freshStore();
    await ingest(
      store,
      [
        // The passport holder, known from a bank by the passport and its country.
        fact(
          'a',
          'bank',
          'payment.completed',
          1,
          {
            passport_number: 'L898902C3',
            passport_country: 'UTO',
            full_name: 'Anna Eriksson',
          },
          { amount: 10 },
        ),
        // The wallet's real-name check: the document read at the desk, in `subject`.
        fact(
          'k',
          'pay',
          'identity.verified',
          2,
          { account: 'pay:anna', phone: '+46701234567', mrz: MRZ },
          {
            method: 'passport',
          },
        ),
        // Later facts carrying only the bound phone or only the handle.
        fact('p', 'shop', 'payment.completed', 3, { phone: '+46 70 123 45 67' }, { amount: 10 }),
        fact('q', 'food', 'payment.completed', 4, { account: 'pay:anna' }, { amount: 10 }),
        // Someone else's phone, never bound, stays someone else.
        fact('z', 'shop', 'payment.completed', 5, { phone: '+46701234568' }, { amount: 10 }),
      ],
      10,
    );
    await store.close();
    expect(people(path)).toEqual(['a,k,p,q', 'z']);
  });
});
