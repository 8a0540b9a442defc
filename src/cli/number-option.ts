import { CredenceError } from '../core/errors/index.js';

// Its own small module: `credence generate` reads its numbers without loading the store behind
// options.ts (open-app).
/** A whole-number option of at least `min`, or a usage error naming the flag and quoting what was given. */
export function wholeNumberOption(text: string | undefined, flag: string, min = 0): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${flag} must be a whole number${min > 0 ? ` of ${min} or more` : ''}, got "${text}"`,
      { field: flag },
    );
  return n;
}
