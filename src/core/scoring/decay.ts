import type { Decay } from '../rulebook/types.js';

/**
 * A ledger entry's points at `asOf` (DESIGN.md): `expires` keeps the full points while
 * `asOf < at + expires`, then 0; `halfLife` halves them every half-life; no decay keeps them.
 *
 * @example
 * decayed(-50, { kind: 'expires', ms: 3 * YEAR, text: 'P3Y' }, t, t + YEAR) // -50
 */
export function decayed(raw: number, decay: Decay, at: number, asOf: number): number {
  switch (decay.kind) {
    case 'none':
      return raw;
    case 'expires':
      return asOf < at + decay.ms ? raw : 0;
    case 'halfLife':
      return raw * 0.5 ** ((asOf - at) / decay.ms);
  }
}
