import type { FieldValue } from '../../core/facts/fact.js';
import type { Prng } from '../prng.js';
import type { SourceId } from '../sources.js';

export const DAY = 86_400_000;
export const MONTH = 30 * DAY;

/** Something that happened to a person, before a source turns it into a fact. */
export interface PlannedEvent {
  readonly at: number;
  readonly source: SourceId;
  readonly type: string;
  readonly data: Record<string, FieldValue>;
  /** Whether the source may later retract it (a refund, a correction). */
  readonly retractable?: boolean;
}

/** The span of time facts fall in: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export const money = (x: number): number => Math.round(x * 100) / 100;
// Log-uniform amounts: many small payments, a few large ones.
export const amount = (r: Prng, lo: number, hi: number): number => money(lo * (hi / lo) ** r.next());

/** Collects events, dropping those outside the span (a source reports nothing from the future). */
export class Timeline {
  readonly events: PlannedEvent[] = [];
  constructor(readonly span: Span) {}
  /** Whether an event at `at` would be kept: lets hot loops skip building facts nobody sees. */
  covers(at: number): boolean {
    return at >= this.span.start && at < this.span.end;
  }

  add(
    at: number,
    source: SourceId,
    type: string,
    data: Record<string, FieldValue>,
    retractable = false,
  ): boolean {
    if (at < this.span.start || at >= this.span.end) return false;
    this.events.push({ at: Math.floor(at / 1000) * 1000, source, type, data, retractable });
    return true;
  }
}

/** Scatters a Poisson number of events with the given monthly rate uniformly over [from, to). */
export function spread(
  r: Prng,
  from: number,
  to: number,
  perMonth: number,
  emit: (at: number) => void,
): void {
  if (to <= from) return;
  const n = r.poisson((perMonth * (to - from)) / MONTH);
  for (let i = 0; i < n; i++) emit(from + r.next() * (to - from));
}
