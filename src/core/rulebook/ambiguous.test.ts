import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';
import { compileRulebookSpec } from './compile-spec.js';
import { rulebookSpecJson } from './spec-json.js';

// Rulebooks that loaded and then did something other than what they say: a privilege naming a
// tier the rulebook does not have never held, `tier >= 'A'` held for every tier from A down to D,
// a flag cleared by its own listing type was never lifted. Each is refused at load, naming the place and the reason.

const book = (
  extra: string,
  tiers = '[{ id: AA, min: 1030 }, { id: A, min: 960 }, { id: B, min: 0 }]',
) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: ${tiers}
events:
  court.listed: { category: legal, fields: { case: string } }
  pay.done: { category: payment, fields: { amount: number } }
rules:
  - { id: r0, on: pay.done, points: 1, reason: { code: A0, text: a } }
${extra}`;

function problems(text: string): Array<{ path?: string; reason: string }> {
  try {
    compileRulebook(text, { file: 'p.yaml' });
    return [];
  } catch (e) {
    if (e instanceof CredenceError) return e.details.map((d) => ({ path: d.path, reason: d.reason }));
    throw e;
  }
}

describe('ambiguous rulebooks are refused at load', () => {
  it('a privilege or restriction comparing tier with a name the tiers lack', () => {
    for (const when of [
      "tier == 'AAA'",
      "tier != 'aa'",
      "'AAA' == tier",
      "tier in ['AA', 'AAA']",
      "score > 1 && tier == 'C'",
    ]) {
      const ps = problems(book(`privileges:\n  - { id: p, context: payment, when: "${when}" }\n`));
      expect(ps, when).toHaveLength(1);
      expect(ps[0]?.path).toBe('privileges[0].when');
      expect(ps[0]?.reason).toMatch(/^tier "(AAA|aa|C)" is not declared in tiers \(AA, A, B\)$/);
    }
    expect(
      problems(book(`privileges:\n  - { id: p, context: payment, when: "tier in ['AA', 'A']" }\n`)),
    ).toEqual([]);
    expect(problems(book(`privileges:\n  - { id: p, context: payment, when: "tier != 'B'" }\n`))).toEqual([]);
  });

  it('a tier ordered by its name', () => {
    const ps = problems(book(`restrictions:\n  - { id: q, context: payment, when: "tier <= 'A'" }\n`));
    expect(ps).toHaveLength(1);
    expect(ps[0]?.path).toBe('restrictions[0].when');
    expect(ps[0]?.reason).toMatch(/orders tier names letter by letter, not by rank/);
  });

  it('a flag whose clear type is its set type', () => {
    const ps = problems(
      book(`flags:\n  - { id: f, set: court.listed, clear: court.listed, reason: { code: L1, text: l } }\n`),
    );
    expect(ps).toEqual([
      {
        path: 'flags[0].clear',
        reason: expect.stringMatching(/is the listing type too/) as unknown as string,
      },
    ]);
  });

  it('a flag whose removals are deleted before the listings they lift', () => {
    const flagged = (listed: string, removed: string) =>
      problems(`program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 0 }]
events:
  court.listed: { category: legal, fields: { case: string }${listed} }
  court.removed: { category: legal, fields: { case: string }${removed} }
flags:
  - { id: f, set: court.listed, clear: court.removed, key: [case], reason: { code: L1, text: l } }
`);
    expect(flagged(', retain: P5Y', ', retain: P1Y')).toEqual([
      {
        path: 'flags[0].clear',
        reason:
          '"court.removed" is kept P1Y, less than "court.listed" (P5Y): once a removal is deleted, the listing it lifted would flag the person again; keep removals at least as long as listings',
      },
    ]);
    expect(flagged('', ', retain: P1Y')[0]?.reason).toMatch(/but "court.listed" is kept for good/);
    expect(flagged(', retain: P1Y', ', retain: P1Y')).toEqual([]);
    expect(flagged(', retain: P1Y', ', retain: P5Y')).toEqual([]);
    expect(flagged(', retain: P1Y', '')).toEqual([]);
  });

  it('a scale bound or base that is not a whole number', () => {
    const text = book('').replace(
      'scale: { min: 0, max: 2000, base: 1000 }',
      'scale: { min: 0.5, max: 2000.5, base: 1000 }',
    );
    expect(problems(text)).toEqual([
      {
        path: 'scale.min',
        reason: '0.5 is not a whole number: scores are rounded to whole numbers within the scale',
      },
      {
        path: 'scale.max',
        reason: '2000.5 is not a whole number: scores are rounded to whole numbers within the scale',
      },
    ]);
  });

  it('a version stored before these checks keeps compiling (and scoring) as it did', () => {
    const text = book(
      `flags:\n  - { id: f, set: court.listed, clear: court.listed, reason: { code: L1, text: l } }\nprivileges:\n  - { id: p, context: payment, when: "tier == 'AAA' || tier >= 'A'" }\n`,
    ).replace('base: 1000 }', 'base: 1000.5 }');
    expect(problems(text).length).toBeGreaterThan(0);
    const spec = JSON.parse(rulebookSpecJson(text) as string);
    expect(() => compileRulebookSpec(spec, text, { file: 'stored v1', version: 1 })).not.toThrow();
  });
});
