import { type ConsentEvent, consentVerdict } from '../consent/index.js';
import type { ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/index.js';
import { formatInstant } from '../time/index.js';
import { counts } from './ledger.js';
import { pastRetention } from './retention.js';

/**
 * How a person's facts stand against a program's minimum at as-of (`minFacts`): how many count,
 * and why each of the others does not, by the same rule scoring counts them (docs/rulebook.md,
 * "Which facts count"). Each fact is counted once, under the first reason that leaves it out.
 */
export interface FactTally {
  /** The rulebook's minimum: fewer counted facts give `insufficient-data`. */
  readonly needed: number;
  readonly counted: number;
  /** Dated after as-of. */
  readonly later: number;
  /** Dated before the instant the program counts from (their opt-in), when it has one. */
  readonly beforeJoining: number;
  /** That instant, when the program counts from one. */
  readonly countsFrom: number | undefined;
  /** Of kinds (event types) the program does not read, with those kinds. */
  readonly otherKinds: number;
  readonly otherTypes: readonly string[];
  /** Past their kind's retention period at as-of. */
  readonly pastRetention: number;
  /** Under a dispute, in a program that suspends disputed facts while under review. */
  readonly disputed: number;
}

/**
 * Tallies `facts` (every fact in the person's file, of any kind, disputed ones marked as they
 * stood at as-of) against `rb` at `asOf`, with the person's consent history in the program.
 *
 * @example
 * factTally(rb, facts, asOf, []) // { needed: 3, counted: 1, otherKinds: 2, … }
 */
export function factTally(
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  asOf: number,
  consent: readonly ConsentEvent[],
): FactTally {
  const verdict = consentVerdict(rb.enrollment, consent, asOf);
  const countsFrom = verdict.scorable ? verdict.factsAfter : undefined;
  const t = { counted: 0, later: 0, beforeJoining: 0, otherKinds: 0, pastRetention: 0, disputed: 0 };
  const otherTypes = new Set<string>();
  const seen = new Set<string>();
  for (const f of facts) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    if (f.at > asOf) t.later++;
    else if (rb.events[f.type] === undefined) {
      t.otherKinds++;
      otherTypes.add(f.type);
    } else if (countsFrom !== undefined && f.at <= countsFrom) t.beforeJoining++;
    else if (pastRetention(rb, f, asOf)) t.pastRetention++;
    else if (!counts(rb, f)) t.disputed++;
    else t.counted++;
  }
  return { needed: rb.minFacts, ...t, countsFrom, otherTypes: [...otherTypes].sort() };
}

const n = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;

/**
 * Why a person has no score for want of data, in plain words: the minimum the rulebook sets, how
 * many of their facts count at as-of, and why the others do not.
 *
 * @example
 * insufficientDataWords(tally, asOf)
 * // 'This program needs at least 3 facts that count to compute a score; as of 1 March 2026 you have 1. …'
 */
export function insufficientDataWords(t: FactTally, asOf: number): string {
  const day = formatInstant(asOf).slice(0, 10);
  const head = `This program needs at least ${n(t.needed, 'fact')} that count to compute a score; as of ${day} you have ${t.counted}.`;
  const others: string[] = [];
  if (t.otherKinds > 0)
    others.push(
      `${n(t.otherKinds, 'is', 'are')} of kinds this program does not read (${t.otherTypes.join(', ')})`,
    );
  if (t.beforeJoining > 0 && t.countsFrom !== undefined)
    others.push(
      `${n(t.beforeJoining, 'is', 'are')} dated before ${formatInstant(t.countsFrom).slice(0, 10)}, when you (re)joined the program, and only what happens after counts`,
    );
  if (t.pastRetention > 0)
    others.push(`${n(t.pastRetention, 'is', 'are')} older than the program keeps facts of that kind`);
  if (t.disputed > 0)
    others.push(`${n(t.disputed, 'is', 'are')} under dispute and not counted while the dispute is open`);
  if (t.later > 0) others.push(`${n(t.later, 'is', 'are')} dated after ${day}`);
  if (others.length === 0)
    return `${head} You have no other fact in your file. A score is computed once enough facts count; none is made up meanwhile.`;
  const total = t.counted + t.later + t.beforeJoining + t.otherKinds + t.pastRetention + t.disputed;
  return `${head} Of the ${n(total, 'fact')} in your file, ${others.join('; ')}. A score is computed once enough facts count; none is made up meanwhile.`;
}
