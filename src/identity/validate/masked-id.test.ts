import { describe, expect, it } from 'vitest';
import { compareMaskedId, isMaskedResidentId, maskedBlockKey } from './masked-id.js';
import { validatePassport } from './passport.js';

describe('masked resident IDs', () => {
  it('recognises a court-list mask', () => {
    expect(isMaskedResidentId('1101051949****002X')).toBe(true);
    expect(isMaskedResidentId('11010519491231002X')).toBe(false);
    expect(isMaskedResidentId('******************')).toBe(false);
  });

  it('compares only the visible characters', () => {
    expect(compareMaskedId('1101051949****002X', '11010519491231002X')).toEqual({
      consistent: true,
      visible: 14,
    });
    expect(compareMaskedId('1101051949****003X', '11010519491231002X').consistent).toBe(false);
  });

  it('gives a full ID and its mask the same blocking key', () => {
    expect(maskedBlockKey('11010519491231002X')).toBe(maskedBlockKey('1101051949****002X'));
    expect(maskedBlockKey('110105**********2X')).toBeUndefined();
  });
});

describe('validatePassport', () => {
  it('needs a country and a 5-9 character number', () => {
    expect(validatePassport('chn', 'e1234 5678')).toMatchObject({ valid: true, key: 'CHN:E12345678' });
    expect(validatePassport(undefined, 'E12345678').valid).toBe(false);
    expect(validatePassport('CHN', 'E1').valid).toBe(false);
  });
});
