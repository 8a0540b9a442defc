import type { SyntheticPerson } from '../person.js';
import type { Prng } from '../prng.js';
import { DAY, type Timeline } from './timeline.js';

/** Consent records: city-civic opt-ins (and a few opt-outs), marketplace opt-outs. */
export function enrolment(r: Prng, p: SyntheticPerson, t: Timeline): void {
  const { start, end } = t.span;
  // Most residents sign up for the civic pilot at the enrolment desk; a few leave again.
  if (r.chance(0.7)) {
    const joined = start + r.next() * (end - start) * 0.5;
    t.add(joined, 'city-civic-enrolment', 'credence.opt_in', { program: 'city-civic' });
    // At least a day later, so the opt-out never lands before the opt-in on the same day.
    if (r.chance(0.03)) {
      t.add(joined + DAY + r.next() * (end - joined - DAY), 'city-civic-enrolment', 'credence.opt_out', {
        program: 'city-civic',
      });
    }
  }
  if (p.engagement !== 'none' && r.chance(0.03)) {
    t.add(start + r.next() * (end - start), 'marketplace-enrolment', 'credence.opt_out', {
      program: 'marketplace',
    });
  }
}
