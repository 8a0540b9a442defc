export { DAY_MS, isDuration, parseDuration } from './duration.js';
export { formatInstant, parseInstant, tryParseInstant } from './instant.js';
