import { describe, expect, it } from 'vitest';
import { identityWorld, people } from './identity-world.case.js';

const { freshStore, ingest } = identityWorld('credence-file-order-');

const pay = (id: string, day: number, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    subject,
    data: { amount: 10 },
  });

// Two namesakes (Yang Wei, a common name) with their own resident IDs, and a utility customer
// with only a name, an address and the first one's phone. Found in a generated population split
// by source: the second Yang Wei's address is on another street and shares only the room number
// and the city, which counted as "similar" (+5.6) and, with the name, linked the customer to
// them when their record came first; the first Yang Wei was then refused as a conflict.
const FILE_A = [
  pay('a1', 80, {
    national_id: '110105199609240359',
    surname: 'Yang',
    given_name: 'Wei',
    date_of_birth: '1996-09-24',
    address: '86 Xinhua St, Bldg 20, Rm 102, Rongcheng',
  }),
  pay('a2', 1, {
    national_id: '500103198712070111',
    surname: 'Yang',
    given_name: 'Wei',
    date_of_birth: '1987-12-07',
    phone: '+8613111788119',
  }),
];
const FILE_C = [
  pay('c1', 8, {
    national_id: '110105199609240359',
    phone: '+8613716408451',
    surname: 'Yang',
    given_name: 'Wei',
  }),
  pay('c2', 35, {
    other_id: 'U001006765',
    full_name: '杨伟',
    address: '104 Jianshe St, Bldg 11, Rm 102, Rongcheng',
    phone: '+8613111788119',
  }),
];

describe('files of one population ingested in either order', () => {
  it('give the same people when namesakes live on other streets', async () => {
    const outcomes: string[][] = [];
    for (const files of [
      [FILE_A, FILE_C],
      [FILE_C, FILE_A],
    ]) {
      const { store, path } = await freshStore();
      let from = 0;
      for (const lines of files) {
        await ingest(store, lines, 10, from);
        from += lines.length;
      }
      await store.close();
      outcomes.push(people(path));
    }
    // The customer is the one whose phone they share, in both orders.
    expect(outcomes[0]).toEqual(['a1,c1', 'a2,c2']);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});
