import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followMerges, MergeChains, type MergeStep } from './merge-chain.js';

const id = fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5');
const step: fc.Arbitrary<MergeStep> = fc.oneof(
  fc.tuple(id, id).map(([absorbed, survivor]) => ({ kind: 'merge', absorbed, survivor })),
  fc.tuple(id, id).map(([from, to]) => ({ kind: 'split', from, to })),
  fc.constant({ kind: 'review' }),
);

describe('MergeChains', () => {
  it('follows every id as followMerges does over the same log, as the log grows', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (log) => {
        const chains = new MergeChains();
        for (let n = 0; n <= log.length; n++) {
          for (const s of ['P1', 'P2', 'P3', 'P4', 'P5']) {
            expect(chains.follow(s)).toEqual(followMerges(s, log.slice(0, n)));
            expect(chains.absorbed(s)).toBe(
              log.slice(0, n).some((d) => d.kind === 'merge' && d.absorbed === s),
            );
          }
          if (n < log.length) chains.add(log[n] as MergeStep);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('leads a merged-away id to the person it went to, through later merges', () => {
    const chains = new MergeChains([
      { kind: 'merge', absorbed: 'P2', survivor: 'P1' },
      { kind: 'merge', absorbed: 'P1', survivor: 'P0' },
    ]);
    expect(chains.follow('P2')).toEqual({ current: 'P0', splitSince: [] });
    chains.add({ kind: 'split', from: 'P0', to: 'P9' });
    expect(chains.follow('P2')).toEqual({ current: 'P0', splitSince: ['P9'] });
  });
  it('keeps a split of a person on the way: B into A, A split, A into C names no one person', () => {
    const log: MergeStep[] = [
      { kind: 'merge', absorbed: 'PB', survivor: 'PA' },
      { kind: 'split', from: 'PA', to: 'PN' },
      { kind: 'merge', absorbed: 'PA', survivor: 'PC' },
    ];
    expect(followMerges('PB', log)).toEqual({ current: 'PC', splitSince: ['PN'] });
    expect(new MergeChains(log).follow('PB')).toEqual({ current: 'PC', splitSince: ['PN'] });
    // A itself was not merged away when it was split: its own split is not one "since".
    expect(followMerges('PA', log)).toEqual({ current: 'PC', splitSince: [] });
  });
});
