import { parse } from 'mrz';
import { describe, expect, it } from 'vitest';
import { mrzCheckDigit, td3Mrz } from './passport.js';

describe('TD3 machine-readable zone', () => {
  it('reproduces the ICAO 9303 specimen passport exactly', () => {
    expect(
      td3Mrz({
        country: 'UTO',
        surname: 'Eriksson',
        given: 'Anna Maria',
        number: 'L898902C3',
        nationality: 'UTO',
        birth: '1974-08-12',
        sex: 'F',
        expiry: '2012-04-15',
        personal: 'ZE184226B',
      }),
    ).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10');
  });

  it('computes check digits by the 7-3-1 rule', () => {
    expect(mrzCheckDigit('L898902C3')).toBe('6');
    expect(mrzCheckDigit('740812')).toBe('2');
    expect(mrzCheckDigit('<<<<<<<<<<<<<<')).toBe('0');
  });

  it('writes zones the mrz package reads as valid, without a personal number', () => {
    const lines = td3Mrz({
      country: 'KOR',
      surname: 'Kim',
      given: 'Minjun',
      number: 'M12345678',
      nationality: 'KOR',
      birth: '1990-03-07',
      sex: 'M',
      expiry: '2030-01-31',
    }).split('\n');
    expect(lines.map((l) => l.length)).toEqual([44, 44]);
    const m = parse(lines);
    expect(m.valid).toBe(true);
    expect(m.fields.lastName).toBe('KIM');
    expect(m.fields.firstName).toBe('MINJUN');
  });
});
