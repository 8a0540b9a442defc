import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mrzCheckDigit, type PersonRecord, residentIdCheckChar, toProfile } from '../../identity/index.js';
import { identityWorld, people } from './identity-world.case.js';

const { freshStore, ingest } = identityWorld('credence-legacy-ids-');

const pay = (id: string, day: number, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    subject,
    data: { amount: 10 },
  });

async function peopleOf(lines: string[]): Promise<string[]> {
  const { store, path } = await freshStore();
  await ingest(store, lines, 10);
  await store.close();
  return people(path);
}

describe('one person sent under two forms of one document', () => {
  // Lines with nothing but the ID: only the ID can tie them.
  it('a 15-digit first-generation resident ID and its 18-character upgrade are one person', async () => {
    for (const [area, yymmdd, seq] of [
      ['110105', '491231', '002'],
      ['440301', '280615', '117'],
      ['320102', '960229', '559'],
    ] as const) {
      const first17 = `${area}19${yymmdd}${seq}`;
      const long = first17 + residentIdCheckChar(first17);
      const short = `${area}${yymmdd}${seq}`;
      expect(
        await peopleOf([pay('a', 1, { national_id: short }), pay('b', 2, { national_id: long })]),
      ).toEqual(['a,b']);
      // And another person's ID, one sequence digit apart, stays another person.
      const otherSeq = `${seq.slice(0, 2)}${(Number(seq[2]) + 1) % 10}`;
      expect(
        await peopleOf([
          pay('a', 1, { national_id: short }),
          pay('b', 2, { national_id: `${area}${yymmdd}${otherSeq}` }),
        ]),
      ).toEqual(['a', 'b']);
    }
  });
});

describe('passports sent with their issuing country', () => {
  it('under the ISO two-letter and the ICAO three-letter code are one passport', async () => {
    for (const [two, three] of [
      ['CN', 'CHN'],
      ['DE', 'D'],
      ['GB', 'GBR'],
    ] as const) {
      expect(
        await peopleOf([
          pay('a', 1, { passport_number: 'E12345678', passport_country: two }),
          pay('b', 2, { passport_number: 'E12345678', passport_country: three }),
        ]),
      ).toEqual(['a,b']);
    }
  });

  it('of two issuers are two passports, though their numbers are alike', async () => {
    expect(
      await peopleOf([
        pay('a', 1, { passport_number: 'E12345678', passport_country: 'CHN', full_name: '王伟' }),
        pay('b', 2, {
          passport_number: 'E12345678',
          passport_country: 'KOR',
          given_name: 'Minjun',
          surname: 'Kim',
        }),
      ]),
    ).toEqual(['a', 'b']);
  });
});

describe('a passport MRZ read as it came', () => {
  it('gives a person born in the 1920s a 1920s birth date, never one after the fact', async () => {
    const cd = mrzCheckDigit;
    for (const yy of [26, 27, 28, 30]) {
      const birth = `${yy}0615`;
      const expiry = '340101';
      const num = `E1234567${yy % 10}`;
      const personal = '<<<<<<<<<<<<<<';
      const composite = num + cd(num) + birth + cd(birth) + expiry + cd(expiry) + personal + cd(personal);
      const mrz = [
        'P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<',
        `${num}${cd(num)}CHN${birth}${cd(birth)}M${expiry}${cd(expiry)}${personal}${cd(personal)}${cd(composite)}`,
      ].join('\n');
      const { store, path } = await freshStore();
      await ingest(store, [pay('k', 1, { mrz, phone: '+8613800138000' })], 10);
      await store.close();
      const db = new Database(path, { readonly: true });
      const body = db.prepare('SELECT body FROM identity_records').pluck().get() as string;
      db.close();
      // The fact is of 2026-01-02: nobody it names was born in 2026 (after it) or later.
      expect(toProfile(JSON.parse(body) as PersonRecord).dob).toBe(`19${yy}0615`);
    }
  });
});

describe('identifiers typed in full-width characters (a Chinese input method) in a JSON line', () => {
  it('are the same resident ID and passport as in ASCII', async () => {
    const fw = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(
      await peopleOf([
        pay('a', 1, { national_id: fw('11010519491231002X') }),
        pay('b', 2, { national_id: '11010519491231002X' }),
      ]),
    ).toEqual(['a,b']);
    expect(
      await peopleOf([
        pay('a', 1, { passport_number: fw('E12345678'), passport_country: fw('CHN') }),
        pay('b', 2, { passport_number: 'E12345678', passport_country: 'CN' }),
      ]),
    ).toEqual(['a,b']);
  });
});

describe('a passport number sent without its issuing country', () => {
  const chinese = { passport_number: 'E12345678', passport_country: 'CHN', full_name: '王伟' };
  const korean = {
    passport_number: 'E12345678',
    passport_country: 'KOR',
    given_name: 'Minjun',
    surname: 'Kim',
  };

  it('does not join whoever claimed the number first: two issuers may have issued it', async () => {
    // A line with the number and a phone nobody holds: before, it went to the number's first
    // claimer, the Chinese or the Korean holder by the order the files came in.
    const line = pay('c', 3, { passport_number: 'E12345678', phone: '+8613912345678' });
    for (const order of [
      [pay('a', 1, chinese), pay('b', 2, korean), line],
      [pay('b', 2, korean), pay('a', 1, chinese), line],
    ])
      expect(await peopleOf(order)).toEqual(['a', 'b', 'c']);
  });

  it('alone binds nobody: a line with nothing but the number is nobody known', async () => {
    for (const known of [[chinese], [chinese, korean]]) {
      const lines = known.map((s, i) => pay(`k${i}`, 1 + i, s));
      const groups = await peopleOf([...lines, pay('z', 5, { passport_number: 'E12345678' })]);
      expect(groups).toContain('z');
    }
  });
});
