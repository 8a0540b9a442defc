import { describe, expect, it } from 'vitest';
import { addressWords, normaliseAddress } from './address.js';
import { isDayMonthSwap, parseDate } from './date.js';
import { normaliseEmail } from './email.js';
import { normaliseName, normaliseNamePart, splitFullName } from './name.js';
import { normalisePhone } from './phone.js';

describe('names', () => {
  it('folds case, spacing and diacritics', () => {
    expect(normaliseNamePart('  MÜLLER ')).toBe('muller');
    expect(normaliseNamePart('Xiao-Ming')).toBe('xiaoming');
    expect(normaliseNamePart('José María')).toBe('josemaria');
  });

  it('turns Chinese characters into pinyin so 王伟 meets Wang Wei', () => {
    expect(splitFullName('王伟')).toEqual({ surname: 'wang', given: 'wei' });
    expect(normaliseName({ full_name: '王伟' })).toEqual(
      normaliseName({ given_name: 'Wei', surname: 'Wang' }),
    );
    expect(normaliseName({ surname: '王', given_name: '小明' })).toEqual({
      surname: 'wang',
      given: 'xiaoming',
    });
  });

  it('takes compound surnames and the surname reading of polyphonic characters', () => {
    expect(splitFullName('欧阳娜娜')).toEqual({ surname: 'ouyang', given: 'nana' });
    expect(normaliseNamePart('单', true)).toBe('shan');
  });

  it('writes the pinyin ü the same way whether it came as ü, v or yu', () => {
    const a = normaliseNamePart('Lü', true);
    expect(a).toBe('lu');
    expect(normaliseNamePart('Lv', true)).toBe(a);
    expect(normaliseNamePart('Lyu', true)).toBe(a);
    expect(normaliseNamePart('吕', true)).toBe(a);
  });

  it('splits full names in Western and comma order', () => {
    expect(splitFullName('Anna Maria Eriksson')).toEqual({ given: 'annamaria', surname: 'eriksson' });
    expect(splitFullName('Eriksson, Anna')).toEqual({ given: 'anna', surname: 'eriksson' });
  });
  it('takes the word written in capitals for the family name, wherever it stands', () => {
    // A utility export wrote `CHEN Na`; read in Western order she met the bank's Chen Na only as a
    // swapped name, and under another address block, so whether they were linked hung on the
    // order the files came in.
    expect(splitFullName('CHEN Na')).toEqual({ given: 'na', surname: 'chen' });
    expect(splitFullName('Wei ZHANG')).toEqual({ given: 'wei', surname: 'zhang' });
    expect(splitFullName('Jean-Pierre DUPONT')).toEqual({ given: 'jeanpierre', surname: 'dupont' });
    expect(splitFullName('J. SMITH')).toEqual({ given: 'j', surname: 'smith' });
    // All in capitals, or none: the usual Western order.
    expect(splitFullName('JOHN SMITH')).toEqual({ given: 'john', surname: 'smith' });
    expect(splitFullName('Na Chen')).toEqual({ given: 'na', surname: 'chen' });
  });
});

describe('address words', () => {
  it('keep names and numbers, not street types or building and room words', () => {
    expect(addressWords(normaliseAddress('127 Binhai Rd, Bldg 14, Rm 204, Rongcheng') as string)).toEqual([
      '127',
      'binhai',
      '14',
      '204',
      'rongcheng',
    ]);
    expect(addressWords(normaliseAddress('滨海路127号') as string)).not.toContain('lu');
  });
});

describe('dates', () => {
  it('reads ISO and YYYYMMDD', () => {
    expect(parseDate('1990-03-07')).toEqual({ digits: '19900307', valid: true, iso: '1990-03-07' });
    expect(parseDate('19900307').iso).toBe('1990-03-07');
    expect(parseDate('1990/3/7').iso).toBe('1990-03-07');
  });
  it('keeps impossible dates as digits but not valid', () => {
    expect(parseDate('19901307')).toEqual({ digits: '19901307', valid: false });
  });
  it('recognises a day/month swap', () => {
    expect(isDayMonthSwap('19900307', '19900703')).toBe(true);
    expect(isDayMonthSwap('19900307', '19900307')).toBe(false);
    expect(isDayMonthSwap('19900307', '19910703')).toBe(false);
  });
});

describe('phones, e-mails, addresses', () => {
  it('normalises phones to E.164', () => {
    expect(normalisePhone('138 0013 8000')).toEqual({ value: '+8613800138000', valid: true });
    expect(normalisePhone('+86 138-0013-8000')?.value).toBe('+8613800138000');
    expect(normalisePhone('0412 345 678', 'AU')).toEqual({ value: '+61412345678', valid: true });
    expect(normalisePhone('12')?.valid).toBe(false);
    // A number of the right length but no number of the plan read in (a Russian mobile with its
    // trunk 8, read as Chinese; a Chinese mobile prefix that is not allocated) is not valid, so it
    // is never a strong key; a real Chinese landline and mobile are.
    expect(normalisePhone('8 912 345-67-89')?.valid).toBe(false);
    expect(normalisePhone('+86 100 0013 8000')?.valid).toBe(false);
    expect(normalisePhone('010-6552 9988')).toEqual({ value: '+861065529988', valid: true });
    expect(normalisePhone('8 912 345-67-89', 'RU')).toEqual({ value: '+79123456789', valid: true });
  });
  it('normalises e-mails', () => {
    expect(normaliseEmail(' Wei.Wang+shop@Example.COM ')).toBe('wei.wang@example.com');
  });
  it('normalises addresses', () => {
    expect(normaliseAddress('12 Smith St.')).toBe('12 smith street');
    expect(normaliseAddress('北京市朝阳区')).toBe('bei jing shi chao yang qu');
  });
});
