import { CATEGORY_WORDS, type Category } from '../rulebook/categories.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { DAY_MS } from '../time/index.js';
import { conditionWords, pointsWords } from './condition-words.js';
import type { Contribution } from './types.js';

// What a person reads beside each point of an explanation, the same for the API
// (GET /v1/me/explanations) and the CLI (`credence explain`): the category of the data the point
// comes from (policy.md: shown with each point) and the rule that gave it, as the rulebook writes it.

/** The category (context of life) of the data a point comes from: its event type's, or the watched types'. */
export function pointCategory(rb: CompiledRulebook, c: Contribution): string | undefined {
  if (c.type !== undefined) return rb.events[c.type]?.category;
  const r = rb.inactivity.find((x) => x.id === c.ruleId);
  if (!r) return undefined;
  return [...new Set(r.of.map((t) => rb.events[t]?.category).filter((x) => x !== undefined))].join(', ');
}

/** The rulebook's durations are whole days (a year is 365, a month 30): written back as days. */
const days = (ms: number): string => `P${ms / DAY_MS}D`;

/** The rule behind a point, as the rulebook writes it (condition, points, cap, decay). */
export function pointRule(rb: CompiledRulebook, c: Contribution): Record<string, unknown> | undefined {
  if (c.kind === 'rule') {
    const r = rb.rules.find((x) => x.id === c.ruleId);
    if (!r) return undefined;
    return {
      on: r.on,
      ...(r.whenText !== undefined ? { when: r.whenText } : {}),
      points: r.pointsText,
      ...(r.cap ? { cap: { max: r.cap.max, per: r.cap.per } } : {}),
      ...(r.decay.kind === 'expires' ? { decay: { expires: r.decay.text } } : {}),
      ...(r.decay.kind === 'halfLife' ? { decay: { halfLife: r.decay.text } } : {}),
    };
  }
  const r = rb.inactivity.find((x) => x.id === c.ruleId);
  if (!r) return undefined;
  return {
    of: r.of,
    after: days(r.afterMs),
    points: r.points,
    ...(r.everyMs !== undefined ? { every: days(r.everyMs) } : {}),
    ...(r.limit !== undefined ? { limit: r.limit } : {}),
  };
}

// In the order of the duration's parts: date units, then (after T) time units.
const UNIT_WORDS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;
const N = '(\\d+(?:\\.\\d+)?)';
const DURATION = new RegExp(
  `^P(?:${N}Y)?(?:${N}M)?(?:${N}W)?(?:${N}D)?(?:T(?:${N}H)?(?:${N}M)?(?:${N}S)?)?$`,
);

/**
 * An ISO 8601 duration in words ("P30D" → "30 days", "PT36H" → "36 hours", "P1.5D" → "1.5 days");
 * anything else as written.
 */
export function durationWords(text: string): string {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return text;
  const parts: string[] = [];
  UNIT_WORDS.forEach((word, i) => {
    const n = m[i + 1];
    if (n !== undefined) parts.push(`${n} ${word}${n === '1' ? '' : 's'}`);
  });
  return parts.length > 0 ? parts.join(' ') : text;
}

const msWords = (ms: number): string => durationWords(days(ms));

/** "1 point", "-1 point", "0.5 points": the words a person reads the count in. */
const pointNoun = (n: number): string => (Math.abs(n) === 1 ? 'point' : 'points');

/**
 * A point's data category and rule in plain words, for a text explanation.
 *
 * @example
 * pointWords(rb, c) // { data: 'payment (payments made or received through a payment service)',
 *                   //   rule: 'each payment.completed whose amount is at least 10 gives 3 points; …' }
 */
export function pointWords(
  rb: CompiledRulebook,
  c: Contribution,
): { data: string; rule: string } | undefined {
  const category = pointCategory(rb, c);
  const data =
    category === undefined
      ? 'unknown'
      : category.includes(', ') || !(category in CATEGORY_WORDS)
        ? category
        : `${category} (${CATEGORY_WORDS[category as Category]})`;
  if (c.kind === 'rule') {
    const r = rb.rules.find((x) => x.id === c.ruleId);
    if (!r) return undefined;
    const literal = /^-?\d+(\.\d+)?$/.test(r.pointsText.trim()) ? Number(r.pointsText) : undefined;
    const parts = [
      `each ${r.on}${r.whenText !== undefined ? ` ${conditionWords(r.whenText)}` : ''} gives ${
        literal !== undefined ? `${r.pointsText.trim()} ${pointNoun(literal)}` : pointsWords(r.pointsText)
      }`,
    ];
    // A cap bounds the points in their own direction: a deduction's `max: 20` is at most -20 (as an
    // inactivity limit is worded); points computed per fact may go either way.
    if (r.cap) {
      const bound =
        literal === undefined ? `${r.cap.max} either way` : literal < 0 ? `${-r.cap.max}` : `${r.cap.max}`;
      parts.push(`at most ${bound} in any ${durationWords(r.cap.per)}`);
    }
    if (r.decay.kind === 'expires') parts.push(`counts for ${durationWords(r.decay.text)} after the fact`);
    else if (r.decay.kind === 'halfLife') parts.push(`halves every ${durationWords(r.decay.text)}`);
    else parts.push('does not fade');
    return { data, rule: parts.join('; ') };
  }
  const r = rb.inactivity.find((x) => x.id === c.ruleId);
  if (!r) return undefined;
  const parts = [
    `${r.points} ${pointNoun(r.points)} after ${msWords(r.afterMs)} without any ${r.of.join(', ')}`,
  ];
  if (r.everyMs !== undefined) parts.push(`${r.points} more every ${msWords(r.everyMs)} after that`);
  if (r.limit !== undefined) parts.push(`at most ${r.limit} in all`);
  parts.push('gone with the next such fact');
  return { data, rule: parts.join('; ') };
}
