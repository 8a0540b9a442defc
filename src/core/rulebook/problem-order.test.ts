import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError, type ErrorDetail } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// An operator fixing a rulebook reads its problems top to bottom, as the file reads. The checks find
// them in their own order (schema before semantics, rules before tiers), which listed a misspelt
// key on line 13 above a tier on line 6. Whatever order the file's sections are written in, the
// problems are the same and are listed by line, then column; problems on one spot keep the order
// they were found in.

const SECTIONS = [
  `program: t
name: T
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }`,
  `tiers:
  - { id: A, min: 500 }
  - { id: B, min: 0 }`,
  'dimensions: [d1]',
  `events:
  e.x: { category: commerce, fields: { n: number } }
  e.l: { category: legal, fields: { n: number } }`,
  `rules:
  - { id: r, on: e.y, points: 1, reason: { code: R, text: r } }
  - { id: s, on: e.x, points: 1, dimensoin: d1, reason: { code: S, text: s } }
  - { id: u, on: e.x, points: "fact.m", reason: { code: U, text: u } }`,
  `flags:
  - { id: f, set: e.z, reason: { code: F, text: f } }`,
  `inactivity:
  - { id: i, of: [e.w], after: P30D, points: -1, reason: { code: I, text: i } }`,
];

function problems(text: string): ErrorDetail[] {
  try {
    compileRulebook(text, { file: 't.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return [...e.details];
    throw e;
  }
  throw new Error('expected a refusal');
}

const position = (p: ErrorDetail) => [p.line ?? Number.POSITIVE_INFINITY, p.column ?? 0] as const;

describe('rulebook problems are listed in file order', () => {
  it('a misspelt key found first is listed after a tier problem above it', () => {
    const found = problems(`${SECTIONS.join('\n')}\n`);
    expect(found.map((p) => p.line)).toEqual([6, 13, 14, 15, 17, 19]);
  });

  it('whatever order the sections are written in: the same problems, by line then column', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(SECTIONS.slice(1), { minLength: SECTIONS.length - 1 }), (rest) => {
        const found = problems(`${[SECTIONS[0], ...rest].join('\n')}\n`);
        for (let i = 1; i < found.length; i++) {
          const [l0, c0] = position(found[i - 1] as ErrorDetail);
          const [l1, c1] = position(found[i] as ErrorDetail);
          expect(l0 < l1 || (l0 === l1 && c0 <= c1)).toBe(true);
        }
        const what = (ps: ErrorDetail[]) => ps.map((p) => `${p.path} ${p.reason}`).sort();
        expect(what(found)).toEqual(what(problems(`${SECTIONS.join('\n')}\n`)));
      }),
      { numRuns: 60 },
    );
  });
});
