import { CredenceError } from '../errors/index.js';

const DAY_MS = 86_400_000;
// A year is 365 days and a month 30 (DESIGN.md), so durations are exact millisecond counts.
const UNIT_MS: Record<string, number> = {
  Y: 365 * DAY_MS,
  M: 30 * DAY_MS,
  W: 7 * DAY_MS,
  D: DAY_MS,
  H: 3_600_000,
  MIN: 60_000,
  S: 1000,
};

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses an ISO 8601 duration into milliseconds, with a year of 365 days and a month of 30.
 *
 * @example
 * parseDuration('P30D') // 2_592_000_000
 */
export function parseDuration(text: string): number {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    throw new CredenceError('CREDENCE_E_USAGE', `"${text}" is not an ISO 8601 duration such as P30D or P3Y`);
  }
  const units = ['Y', 'M', 'W', 'D', 'H', 'MIN', 'S'] as const;
  let ms = 0;
  units.forEach((u, i) => {
    const v = m[i + 1];
    if (v !== undefined) ms += Number(v) * (UNIT_MS[u] as number);
  });
  if (ms <= 0) throw new CredenceError('CREDENCE_E_USAGE', `duration "${text}" must be longer than zero`);
  return ms;
}

/** True when `text` is a well-formed, positive ISO 8601 duration. */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

export { DAY_MS };
