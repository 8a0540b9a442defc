import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar, validateResidentId } from './resident-id.js';

const SPECIMEN = '11010519491231002X';

describe('validateResidentId', () => {
  it('accepts the GB 11643 example and reads its birth date and sex', () => {
    const r = validateResidentId(SPECIMEN);
    expect(r.valid).toBe(true);
    expect(r.birthDate).toBe('1949-12-31');
    expect(r.sex).toBe('F');
    expect(r.areaCode).toBe('110105');
  });

  it('accepts a lower-case x and spaces', () => {
    expect(validateResidentId('110105 19491231 002x').valid).toBe(true);
  });

  it('rejects a wrong check character and names the expected one', () => {
    const r = validateResidentId('110105194912310021');
    expect(r.valid).toBe(false);
    expect(r.problems.join()).toContain('expected X');
  });

  it('rejects a date that does not exist', () => {
    const body = '11010519490231002';
    const r = validateResidentId(body + residentIdCheckChar(body));
    expect(r.valid).toBe(false);
    expect(r.problems.join()).toContain('not a calendar date');
  });

  it('rejects the wrong length or characters', () => {
    expect(validateResidentId('1101051949123100').valid).toBe(false);
    expect(validateResidentId('11010519491231002Y').valid).toBe(false);
  });

  it('checks birth date and sex against the record', () => {
    expect(validateResidentId(SPECIMEN, { dob: '1949-12-31', sex: 'female' }).valid).toBe(true);
    expect(validateResidentId(SPECIMEN, { dob: '19491231', sex: '女' }).valid).toBe(true);
    expect(validateResidentId(SPECIMEN, { dob: '1949-12-30' }).problems.join()).toContain(
      'record says 1949-12-30',
    );
    expect(validateResidentId(SPECIMEN, { sex: 'M' }).problems.join()).toContain('sex digit says F');
  });

  it('detects every single-digit substitution and adjacent transposition (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const digits = SPECIMEN.split('');
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        expect(validateResidentId(digits.join('')).valid).toBe(false);
      }),
    );
    for (let i = 0; i < 16; i++) {
      const d = SPECIMEN.split('');
      if (d[i] === d[i + 1]) continue;
      [d[i], d[i + 1]] = [d[i + 1] as string, d[i] as string];
      expect(validateResidentId(d.join('')).valid).toBe(false);
    }
  });
});
