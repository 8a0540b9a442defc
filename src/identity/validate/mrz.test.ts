import { describe, expect, it } from 'vitest';
import { mrzCheckDigit, parseMrz } from './mrz.js';

const L1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
const L2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
const AS_OF = Date.parse('2026-01-01T00:00:00Z');

function corrupt(line: string, pos: number, c: string): string {
  return line.slice(0, pos) + c + line.slice(pos + 1);
}

describe('parseMrz', () => {
  it('parses the ICAO specimen passport with every check digit valid, flagged expired', () => {
    const r = parseMrz([L1, L2], { asOf: AS_OF });
    expect(r.format).toBe('TD3');
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.checks.map((c) => c.name).sort()).toEqual(
      ['birthDate', 'composite', 'documentNumber', 'expirationDate', 'personalNumber'].sort(),
    );
    expect(r.checks.every((c) => c.valid)).toBe(true);
    expect(r).toMatchObject({
      documentNumber: 'L898902C3',
      issuingState: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      birthDate: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      expired: true,
    });
  });

  it('is not expired before its expiry date', () => {
    expect(parseMrz([L1, L2], { asOf: Date.parse('2010-01-01T00:00:00Z') }).expired).toBe(false);
  });

  it.each([
    [9, 'documentNumber'],
    [19, 'birthDate'],
    [27, 'expirationDate'],
    [42, 'personalNumber'],
    [43, 'composite'],
  ])('names the failed check when the digit at %i is wrong', (pos, name) => {
    const bad = corrupt(L2, pos, String((Number(L2[pos]) + 1) % 10));
    const r = parseMrz([L1, bad]);
    expect(r.valid).toBe(false);
    const failed = r.checks.filter((c) => !c.valid).map((c) => c.name);
    expect(failed).toContain(name);
    expect(r.problems.join('\n')).toMatch(/check digit: found \d, expected \d/);
  });

  it('catches a corrupted data character through its check digit', () => {
    const r = parseMrz([L1, corrupt(L2, 15, '9')]);
    expect(r.valid).toBe(false);
    expect(r.checks.find((c) => c.name === 'birthDate')?.valid).toBe(false);
  });

  it('parses a TD1 identity card (three lines) and checks its digits', () => {
    const td1 = [
      'I<UTOD231458907<<<<<<<<<<<<<<<',
      '7408122F1204159UTO<<<<<<<<<<<6',
      'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    ];
    const r = parseMrz(td1, { asOf: AS_OF });
    expect(r.format).toBe('TD1');
    expect(r.valid).toBe(true);
    expect(r.documentNumber).toBe('D23145890');
    expect(r.expired).toBe(true);
    const bad = parseMrz([td1[0] as string, corrupt(td1[1] as string, 29, '5'), td1[2] as string]);
    expect(bad.checks.find((c) => c.name === 'composite')?.valid).toBe(false);
  });

  it('reports unreadable input as a value, not an exception', () => {
    const r = parseMrz(['P<UTO', 'short']);
    expect(r.valid).toBe(false);
    expect(r.problems[0]).toContain('not a readable MRZ');
  });

  it('computes ICAO check digits', () => {
    expect(mrzCheckDigit('L898902C3')).toBe('6');
    expect(mrzCheckDigit('740812')).toBe('2');
    expect(mrzCheckDigit('<<<')).toBe('0');
  });

  /** A TD3 second line with the given birth and expiry digits, every check digit computed for them. */
  function td3Line2(birth: string, expiry: string): string {
    const doc = 'L898902C3';
    const personal = 'ZE184226B<<<<<';
    const start = `${doc}${mrzCheckDigit(doc)}UTO`;
    const dates = `${birth}${mrzCheckDigit(birth)}F${expiry}${mrzCheckDigit(expiry)}`;
    const body = `${start}${dates}${personal}${mrzCheckDigit(personal)}`;
    const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
    return `${body}${mrzCheckDigit(composite)}`;
  }

  it.each([
    ['740231', '300415', 'Birth date: 1974-02-31'],
    ['740812', '300230', 'Expiration date: 2030-02-30'],
    ['750229', '300415', 'Birth date: 1975-02-29'],
  ])('refuses a date that is no day (%s, %s) even when its check digit is right', (birth, expiry, said) => {
    const r = parseMrz([L1, td3Line2(birth, expiry)], { asOf: AS_OF });
    expect(r.checks.every((c) => c.valid)).toBe(true);
    expect(r.valid).toBe(false);
    expect(r.problems.join('; ')).toContain(`${said} is not a calendar date`);
    expect(r.birthDate === undefined || r.expiryDate === undefined).toBe(true);
  });

  it('takes a leap day that is one as valid', () => {
    const r = parseMrz([L1, td3Line2('760229', '300415')], { asOf: AS_OF });
    expect(r.valid).toBe(true);
    expect(r.birthDate).toBe('1976-02-29');
  });

  it('never reads a birth date after the day it is read: born 261220 read on 2026-11-29 is 1926', () => {
    const asOf = Date.parse('2026-11-29T12:00:00Z');
    expect(parseMrz([L1, td3Line2('261220', '301220')], { asOf }).birthDate).toBe('1926-12-20');
    // Earlier in the same year is this century's.
    expect(parseMrz([L1, td3Line2('260101', '301220')], { asOf }).birthDate).toBe('2026-01-01');
    expect(parseMrz([L1, td3Line2('261129', '301220')], { asOf }).birthDate).toBe('2026-11-29');
  });
});

/** A TD3 passport MRZ with every check digit right. */
function td3(birth: string, expiry: string, number = 'E12345678'): [string, string] {
  const cd = mrzCheckDigit;
  const personal = '<<<<<<<<<<<<<<';
  const composite = number + cd(number) + birth + cd(birth) + expiry + cd(expiry) + personal + cd(personal);
  return [
    'P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'.slice(0, 44),
    `${number}${cd(number)}CHN${birth}${cd(birth)}M${expiry}${cd(expiry)}${personal}${cd(personal)}${cd(composite)}`,
  ];
}

describe('the century of a two-digit birth year', () => {
  it('is never after the fact it is read against', () => {
    for (let yy = 20; yy <= 30; yy++) {
      const lines = td3(`${yy}0615`, '330101');
      const r = parseMrz(lines, { asOf: Date.parse('2026-01-02T00:00:00Z') });
      expect(r.valid).toBe(true);
      expect(r.birthDate).toBe(yy <= 25 ? `20${yy}-06-15` : `19${yy}-06-15`);
    }
  });

  it('is never after the document expires, with no date to read it against', () => {
    const r = parseMrz(td3('280615', '270301'));
    expect(r.birthDate).toBe('1928-06-15');
    expect(parseMrz(td3('200615', '270301')).birthDate).toBe('2020-06-15');
  });
});
