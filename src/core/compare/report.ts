import { formatInstant } from '../time/index.js';
import { type Comparison, type StatusCounts, standingOf } from './comparison.js';

const NOT_ENROLLED = standingOf({
  status: 'not-scored',
  program: '',
  version: 0,
  asOf: 0,
  reason: 'not-enrolled',
});

/** A comparison with what was compared: each side's rulebook beside its status counts. */
export interface ComparisonReport extends Omit<Comparison, 'baseline' | 'candidate'> {
  readonly program: string;
  readonly asOf: string;
  /** The as-of is later than the comparison was made: facts still to come are not in it. */
  readonly projection?: true;
  /**
   * Present when the candidate changes how people enter the program: from opt-in to opt-out it
   * scores people who never enrolled (`enrolled`: how many of them it would score).
   */
  readonly enrollment?: {
    readonly baseline: 'opt-in' | 'opt-out';
    readonly candidate: 'opt-in' | 'opt-out';
    readonly enrolled: number;
  };
  readonly baseline: StatusCounts & { readonly version: number; readonly name: string };
  /** The candidate: a file (`credence program compare`) or a draft (the API). */
  readonly candidate: StatusCounts & {
    readonly name: string;
    readonly file?: string;
    readonly draft?: string;
    /** The date the candidate says it applies from, when it says one: it is compared as in force at `asOf` all the same. */
    readonly effectiveFrom?: string;
  };
}

export function comparisonReport(
  c: Comparison,
  o: {
    readonly program: string;
    readonly asOf: number;
    readonly projection: boolean;
    readonly enrollment: {
      readonly baseline: 'opt-in' | 'opt-out';
      readonly candidate: 'opt-in' | 'opt-out';
    };
    readonly baseline: { readonly version: number; readonly name: string };
    readonly candidate: {
      readonly name: string;
      readonly file?: string;
      readonly draft?: string;
      /** Epoch ms; 0 (no `effectiveFrom`: always) is left out of the report. */
      readonly effectiveFrom: number;
    };
  },
): ComparisonReport {
  return {
    program: o.program,
    asOf: formatInstant(o.asOf),
    ...(o.projection ? { projection: true as const } : {}),
    ...(o.enrollment.baseline !== o.enrollment.candidate
      ? {
          enrollment: {
            ...o.enrollment,
            enrolled: c.tiers
              .filter((t) => t.from === NOT_ENROLLED && !t.to.startsWith('not scored'))
              .reduce((n, t) => n + t.people, 0),
          },
        }
      : {}),
    ...c,
    baseline: { ...o.baseline, ...c.baseline },
    candidate: {
      name: o.candidate.name,
      ...(o.candidate.file !== undefined ? { file: o.candidate.file } : {}),
      ...(o.candidate.draft !== undefined ? { draft: o.candidate.draft } : {}),
      ...(o.candidate.effectiveFrom > 0 ? { effectiveFrom: formatInstant(o.candidate.effectiveFrom) } : {}),
      ...c.candidate,
    },
  };
}

/** An audit entry of a comparison: what was done, about whom, and the rest. */
export interface ComparisonAuditEntry {
  readonly action: 'program.compare' | 'program.compare.person';
  readonly subject?: string;
  readonly detail: Record<string, unknown>;
}

/**
 * What a comparison's read leaves in the audit log: one entry for the run (everyone's facts were
 * read), and one under each person listed, with both of their standings.
 */
export function comparisonAuditEntries(
  r: ComparisonReport,
  asOf: number,
  from: { readonly file: string } | { readonly draft: string },
): ComparisonAuditEntry[] {
  const common = { program: r.program, version: r.baseline.version, ...from, asOf };
  return [
    {
      action: 'program.compare',
      detail: { ...common, people: r.people, ...(r.projection ? { projection: true } : {}) },
    },
    ...r.largest.map((p) => ({
      action: 'program.compare.person' as const,
      subject: p.subject,
      detail: {
        ...common,
        baseline: p.baseline,
        candidate: p.candidate,
        baselineScore: p.baselineScore,
        candidateScore: p.candidateScore,
        gained: p.gained,
        lost: p.lost,
      },
    })),
  ];
}
