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

// Local time in Rongcheng is UTC+8. Offices (bank, court, utility, registers, the enrolment desk)
// record during working hours; people pay, shop and ride from early morning to midnight.
const LOCAL_OFFSET = 8 * 3_600_000;
const OFFICE_SOURCES: ReadonlySet<SourceId> = new Set<SourceId>([
  'bank',
  'utility',
  'court',
  'market-regulator',
  'debtor-register',
  'city-civic-enrolment',
]);

/**
 * Collects events, dropping those outside the span (a source reports nothing from the future).
 * Event planning picks the day; the timeline picks a plausible local time of day for the source.
 */
export class Timeline {
  readonly events: PlannedEvent[] = [];
  constructor(
    readonly span: Span,
    readonly r: Prng,
  ) {}

  /** Whether an event on the day of `at` could be kept: lets hot loops skip building facts nobody sees. */
  covers(at: number): boolean {
    return at >= this.span.start - DAY && at < this.span.end + DAY;
  }

  add(
    at: number,
    source: SourceId,
    type: string,
    data: Record<string, FieldValue>,
    retractable = false,
  ): boolean {
    const localDay = Math.floor((at + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
    const office = OFFICE_SOURCES.has(source);
    // Seconds after local midnight: 09:00-17:00 for offices, 07:00-24:00 for people.
    const second = office ? 32_400 + this.r.int(28_800) : 25_200 + this.r.int(61_200);
    const local = localDay + second * 1000;
    if (local < this.span.start || local >= this.span.end) return false;
    this.events.push({ at: local, source, type, data, retractable });
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
