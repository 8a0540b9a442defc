/** One recorded consent change of a person in a program. */
export interface ConsentEvent {
  readonly action: 'opt-in' | 'opt-out';
  readonly at: number;
}

export type EnrolmentStatus = 'enrolled' | 'opted-in' | 'opted-out' | 'not-enrolled';

/**
 * What consent allows for a person in a program, judged on the whole recorded history
 * (an opt-out is honoured for every as-of, past ones included: no hidden score exists).
 */
export type ConsentVerdict =
  | { readonly scorable: false; readonly status: 'opted-out' | 'not-enrolled' }
  | {
      readonly scorable: true;
      readonly status: 'enrolled' | 'opted-in';
      /**
       * Facts at or before this instant are not scored: the instant the person last came in (the
       * opt-in after their last opt-out, or in an opt-in program their opt-in). Whatever occurred
       * before it — before an opt-out, while opted out, or before joining — stays outside the
       * program for good: no score accumulates in the dark, and consent is not retroactive.
       */
      readonly factsAfter?: number;
      /**
       * Enrolment instant when it is an opt-in: in an opt-in program, or a re-join after an opt-out.
       * Otherwise (an opt-out program) the first counted fact is, and an opt-in by someone who never
       * left is not: they were enrolled already.
       */
      readonly enrolledAt?: number;
    };

/**
 * Consent changes in time order. Two changes at the same instant arrive in any order, so the tie
 * needs a rule that does not depend on arrival: the opt-out counts as the later one, because a
 * person who said both "in" and "out" at once must not be scored.
 */
function byInstantOptOutLast(a: ConsentEvent, b: ConsentEvent): number {
  if (a.at !== b.at) return a.at - b.at;
  return (a.action === 'opt-out' ? 1 : 0) - (b.action === 'opt-out' ? 1 : 0);
}

const ENROLLED: ConsentVerdict = Object.freeze({ scorable: true, status: 'enrolled' });
const NOT_ENROLLED: ConsentVerdict = Object.freeze({ scorable: false, status: 'not-enrolled' });
const OPTED_IN_ALREADY_ENROLLED: ConsentVerdict = Object.freeze({ scorable: true, status: 'opted-in' });

/**
 * Judges consent for a program. Opt-out programs enrol everyone until they leave; opt-in programs
 * only those who joined. A person who opted out and later opted in starts afresh from the opt-in:
 * facts up to the opt-out stay outside the program (that ledger was deleted), so do the facts that
 * occurred while they were out, and nothing is scored for an as-of before the opt-in. In an opt-in
 * program, likewise, only facts after the opt-in count.
 *
 * @example
 * consentVerdict('opt-out', [], asOf) // { scorable: true, status: 'enrolled' }
 */
export function consentVerdict(
  enrollment: 'opt-in' | 'opt-out',
  history: readonly ConsentEvent[],
  asOf: number,
): ConsentVerdict {
  // Most people have no consent record at all: answer without allocating.
  if (history.length === 0) return enrollment === 'opt-in' ? NOT_ENROLLED : ENROLLED;
  const events = history.length === 1 ? history : [...history].sort(byInstantOptOutLast);
  const last = events.at(-1);
  if (last?.action === 'opt-out') return { scorable: false, status: 'opted-out' };
  let lastOptOut: number | undefined;
  let optInAfter: number | undefined;
  for (const e of events) {
    if (e.action === 'opt-out') {
      lastOptOut = e.at;
      optInAfter = undefined;
    } else if (optInAfter === undefined) {
      optInAfter = e.at;
    }
  }
  if (lastOptOut !== undefined) {
    // Re-joined after leaving: a fresh start from the opt-in.
    if (optInAfter === undefined || asOf < optInAfter) return { scorable: false, status: 'opted-out' };
    // Not `lastOptOut`: facts that occurred while they were out must not count once they are back.
    return { scorable: true, status: 'opted-in', factsAfter: optInAfter, enrolledAt: optInAfter };
  }
  if (enrollment === 'opt-in') {
    if (optInAfter === undefined || asOf < optInAfter) return { scorable: false, status: 'not-enrolled' };
    // Consent is not retroactive: facts from before they joined do not count.
    return { scorable: true, status: 'opted-in', factsAfter: optInAfter, enrolledAt: optInAfter };
  }
  // An opt-in recorded after as-of is not known at as-of: the person was enrolled, as everyone is.
  // One known at as-of says so, and changes nothing else: in an opt-out program they were enrolled
  // already, from their first fact, so it is no enrolment time (DESIGN.md) and does not restart
  // the inactivity clock; saying "in" is no activity.
  return optInAfter === undefined || asOf < optInAfter ? ENROLLED : OPTED_IN_ALREADY_ENROLLED;
}
