import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar, residentIdKey, upgradeResidentId, validateResidentId } from './resident-id.js';

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

describe('first-generation 15-digit resident IDs', () => {
  // 6-digit area, YYMMDD of the 1900s, 3-digit sequence.
  const fifteen = fc
    .tuple(
      fc.integer({ min: 110000, max: 659999 }),
      fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('1999-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([area, d, seq]) => ({
      id15: `${area}${d.toISOString().slice(2, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`,
      birth: d.toISOString().slice(0, 10),
    }));

  it('are checked as their 18-character upgrade: 19 before the year, the GB 11643 check appended', () => {
    fc.assert(
      fc.property(fifteen, ({ id15, birth }) => {
        const r = validateResidentId(id15);
        const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
        expect(r.valid).toBe(true);
        expect(r.id).toBe(first17 + residentIdCheckChar(first17));
        expect(r.upgradedFrom).toBe(id15);
        expect(r.birthDate).toBe(birth);
        // The upgrade is itself a valid ID naming the same key.
        expect(validateResidentId(r.id).id).toBe(r.id);
        expect(residentIdKey(id15)).toBe(residentIdKey(r.id.toLowerCase()));
      }),
    );
  });

  it('upgrades the DOMAIN.md example back to itself', () => {
    expect(upgradeResidentId('110105491231002')).toBe(SPECIMEN);
  });

  it('are refused when digits 7-12 are not a date, and keyed as given', () => {
    const r = validateResidentId('110105490231002');
    expect(r.valid).toBe(false);
    expect(r.problems.join()).toContain('not a calendar date');
    expect(residentIdKey('110105490231002')).toBe('110105490231002');
  });

  it('are compared with the record: the sex digit and the birth date', () => {
    expect(validateResidentId('110105491231002', { sex: 'M' }).valid).toBe(false);
    expect(validateResidentId('110105491231002', { dob: '1949-12-31', sex: 'F' }).valid).toBe(true);
    expect(validateResidentId('110105491231002', { dob: '2049-12-31' }).valid).toBe(false);
  });
});
