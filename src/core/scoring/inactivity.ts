import type { CompiledInactivity } from '../rulebook/types.js';

/**
 * The inactivity penalty at `asOf` (DESIGN.md): with `last` the latest fact of the listed types
 * (else the enrolment time), when `asOf − last > after` the penalty is
 * `points × (1 + floor((asOf − last − after) / every))`, bounded by `limit`.
 *
 * @example
 * inactivityPenalty(dormant, last, last + 200 * DAY) // -5 with after P180D, every P30D
 */
export function inactivityPenalty(rule: CompiledInactivity, last: number | undefined, asOf: number): number {
  if (last === undefined) return 0;
  const idle = asOf - last;
  if (!(idle > rule.afterMs)) return 0;
  const periods = rule.everyMs === undefined ? 1 : 1 + Math.floor((idle - rule.afterMs) / rule.everyMs);
  const penalty = rule.points * periods;
  if (rule.limit === undefined) return penalty;
  return rule.points < 0 ? Math.max(penalty, rule.limit) : Math.min(penalty, rule.limit);
}
