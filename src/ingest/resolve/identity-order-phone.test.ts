import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../identity/index.js';
import { identityWorld, people } from './identity-world.case.js';

const { freshStore, ingest } = identityWorld('credence-order-phone-');

const fact = (id: string, source: string, day: number, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source,
    type: 'payment.completed',
    occurredAt: new Date(Date.UTC(2025, 11, 1) + day * 86_400_000).toISOString(),
    subject,
    data: { amount: 10 },
  });

function* permutations<T>(xs: readonly T[]): Generator<T[]> {
  if (xs.length <= 1) {
    yield [...xs];
    return;
  }
  for (const [i, x] of xs.entries())
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [x, ...rest];
}

// Generated person 9639 of `credence generate --people 15000 --seed 5`: one furnisher's record
// carries only a misspelt name, a phone and its own account; another the resident ID; a third the
// ID beside the same phone. In the generated order the shop's record came first and kept a person
// of its own (8 facts); in any order of the files by source it joined the others.
const shop = { account: 'shop:wei_chen7fr62', phone: '+8617783075824', full_name: 'Wi Chen' };
const utility = {
  address: '147 Chengshan Rd, Bldg 10, Rm 302, Rongcheng',
  full_name: '陈伟',
  national_id: '410105195208203074',
  other_id: 'U001067476',
};
const pay = {
  account: 'pay:wei_chen7fr41',
  given_name: 'Wei',
  national_id: '410105195208203074',
  phone: '+8617783075824',
  surname: 'Chen',
};

describe('a person whose phone alone ties a weak record to their resident ID', () => {
  it('is one person in every arrival order', async () => {
    const lines = [fact('s', 'shop', 1, shop), fact('u', 'utility', 2, utility), fact('p', 'pay', 3, pay)];
    const seen = new Map<string, string>();
    for (const order of permutations(lines)) {
      const { store, path } = await freshStore();
      // One line a batch, so each decides against the people the lines before it left.
      await ingest(store, order, 1);
      await store.close();
      seen.set(order.map((l) => (JSON.parse(l) as { id: string }).id).join(''), people(path).join(' | '));
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries([...seen.keys()].map((k) => [k, 'p,s,u'])));
  });
});

// People of distinct names, each sent by three kinds of furnisher: a real-name one (resident ID,
// phone, name), one that knows the ID only, and a shop that knows a misspelt name, the phone and
// its own account. Only the phone ties a shop's record to the person.
const NAMES = [
  ['Wei', 'Chen', 'Wi'],
  ['Na', 'Li', 'Ne'],
  ['Jun', 'Zhao', 'Jon'],
  ['Fang', 'Sun', 'Fan'],
] as const;
const personRecords = (i: number): Record<string, string>[] => {
  const [given, surname, typo] = NAMES[i] as readonly [string, string, string];
  const first17 = `1101051980010${String(i).padStart(2, '0')}1${i}`;
  const nid = first17 + residentIdCheckChar(first17);
  const phone = `+861380013800${i}`;
  return [
    { national_id: nid, phone, given_name: given, surname },
    { national_id: nid, full_name: `${surname} ${given}` },
    { account: `shop:${given.toLowerCase()}${i}`, phone, full_name: `${typo} ${surname}` },
  ];
};

describe('records tied to their person by a resident ID or a phone', () => {
  it('make the same people in any arrival order and batch size', async () => {
    const all = [0, 1, 2, 3].flatMap((i) =>
      personRecords(i).map((subject, k) => ({ id: `r${i}${k}`, subject })),
    );
    const peopleOf = async (recs: typeof all, batch: number): Promise<string[]> => {
      const { store, path } = await freshStore();
      await ingest(
        store,
        recs.map((r) => fact(r.id, 'pay', Number(r.id.slice(1)) % 50, r.subject)),
        batch,
      );
      await store.close();
      return people(path);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(all, { minLength: 2 }),
        fc.integer({ min: 1, max: 5 }),
        async (shuffled, batch) => {
          const inOrder = [...shuffled].sort((a, b) => a.id.localeCompare(b.id));
          expect(await peopleOf(shuffled, batch)).toEqual(await peopleOf(inOrder, 12));
        },
      ),
      { numRuns: 60 },
    );
  });
});
