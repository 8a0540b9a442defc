import type { SyntheticPerson } from '../person.js';
import type { Prng } from '../prng.js';
import { courts } from './courts.js';
import { enrolment } from './enrolment.js';
import { loans } from './loans.js';
import { platforms } from './platforms.js';
import { type PlannedEvent, type Span, Timeline } from './timeline.js';
import { utilities } from './utilities.js';

export type { PlannedEvent, Span } from './timeline.js';

/**
 * Everything that happens to one person within the span, in no particular order.
 *
 * @example
 * planEvents(new Prng(7), person, { start, end }).length // about 20 for a one-year span
 */
export function planEvents(r: Prng, p: SyntheticPerson, span: Span): PlannedEvent[] {
  const t = new Timeline(span, r);
  platforms(r, p, t);
  const defaultedAt = loans(r, p, t);
  utilities(r, t);
  courts(r, t, defaultedAt);
  enrolment(r, p, t);
  return t.events;
}
