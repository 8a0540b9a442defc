import { CredenceError } from '../errors/index.js';

// RFC 3339 date-time with an explicit offset, or a plain date (taken as midnight UTC).
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Parses an ISO 8601 instant into epoch milliseconds. A date without a time is midnight UTC;
 * a time must carry its offset, since a score must not depend on the machine's time zone.
 *
 * @example
 * parseInstant('2026-03-01T10:00:00Z') // 1772359200000
 */
export function parseInstant(text: string, what = 'time'): number {
  if (typeof text !== 'string' || !INSTANT.test(text)) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${what} "${String(text)}" is not an ISO 8601 instant with a time zone (e.g. 2026-03-01T10:00:00Z)`,
    );
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new CredenceError('CREDENCE_E_USAGE', `${what} "${text}" is not a real date`);
  return ms;
}

export function tryParseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseInstant(text);
  } catch {
    return undefined;
  }
}

export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
