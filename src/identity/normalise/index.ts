export { normaliseAddress, normalisePlace } from './address.js';
export { isDayMonthSwap, type NormalisedDate, parseDate } from './date.js';
export { normaliseEmail } from './email.js';
export { type NormalisedName, normaliseName, normaliseNamePart, splitFullName } from './name.js';
export { type NormalisedPhone, normalisePhone } from './phone.js';
export { foldText, hanToPinyin, hasHan } from './text.js';
