export { compareMaskedId, isMaskedResidentId, maskedBlockKey } from './masked-id.js';
export { type MrzCheckDigit, type MrzResult, mrzCheckDigit, parseMrz } from './mrz.js';
export { type PassportCheck, validatePassport } from './passport.js';
export {
  normaliseSexCode,
  type ResidentIdCheck,
  residentIdCheckChar,
  validateResidentId,
} from './resident-id.js';
