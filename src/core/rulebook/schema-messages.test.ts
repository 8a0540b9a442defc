import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError, type ErrorDetail } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// A refused rulebook names the file, the path and the reason of each problem; the reason must
// say what is wrong in words the author can act on. Where the format allows alternatives
// (points: a number or a CEL string; decay: { expires } or { halfLife }), the reason must be
// about the alternative the author was writing, not the schema validator's internals
// ("must match a schema in anyOf") nor the other alternative's complaints ("expires is not a
// known key here", "halfLife is required" for a decay that only got its duration wrong).

const head = `program: msg
name: Msg
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
`;
const rule = (extra: string) =>
  `${head}  - { id: r, on: shop.buy, reason: { code: A, text: a }, ${extra} }\n`;

function details(text: string): ErrorDetail[] {
  try {
    compileRulebook(text, { file: 'msg.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return [...e.details];
    throw e;
  }
  throw new Error('expected a refusal');
}
const reasons = (text: string) => Object.fromEntries(details(text).map((d) => [d.path, d.reason]));

describe('schema problems where the format has alternatives', () => {
  it('points that are neither a number nor a string', () => {
    expect(reasons(rule('points: true'))).toEqual({ 'rules[0].points': 'must be one of: number, string' });
    expect(reasons(rule('points: [1]'))).toEqual({ 'rules[0].points': 'must be one of: number, string' });
  });

  it('points that are an empty string, or not a finite number', () => {
    expect(reasons(rule('points: ""'))).toEqual({
      'rules[0].points': 'must not have fewer than 1 characters',
    });
    expect(reasons(rule('points: .nan'))).toEqual({ 'rules[0].points': 'must be a finite number' });
    expect(reasons(rule('points: -.inf'))).toEqual({ 'rules[0].points': 'must be a finite number' });
  });

  it('a decay whose duration is wrong is about the duration', () => {
    expect(reasons(rule('points: 1, decay: { expires: 30 }'))).toEqual({
      'rules[0].decay.expires': 'must be string',
    });
    const r = reasons(rule('points: 1, decay: { halfLife: P30 }'));
    expect(Object.keys(r)).toEqual(['rules[0].decay.halfLife']);
    expect(r['rules[0].decay.halfLife']).toBe('"P30" is not an ISO 8601 duration such as P30D, P3Y or PT12H');
  });

  it('a decay with both or neither form says which keys it may have', () => {
    expect(reasons(rule('points: 1, decay: { expires: P1D, halfLife: P2D }'))).toEqual({
      'rules[0].decay': 'must have only one of: expires, halfLife',
    });
    expect(reasons(rule('points: 1, decay: { foo: P1D }'))).toEqual({
      'rules[0].decay': 'must have one of: expires, halfLife',
      'rules[0].decay.foo': 'is not a known key here',
    });
  });

  it('each rule is judged on its own alternatives, several rules at once', () => {
    const text = `${head}  - { id: a, on: shop.buy, reason: { code: A, text: a }, points: true }
  - { id: b, on: shop.buy, reason: { code: A, text: a }, points: "" }
  - { id: c, on: shop.buy, reason: { code: A, text: a }, points: 1, decay: { expires: P1D, halfLife: P2D } }
  - { id: d, on: shop.buy, reason: { code: A, text: a }, points: 1, decay: { foo: P1D } }
  - { id: e, on: shop.buy, reason: { code: A, text: a }, points: 1, decay: { expires: 30 } }
`;
    expect(reasons(text)).toEqual({
      'rules[0].points': 'must be one of: number, string',
      'rules[1].points': 'must not have fewer than 1 characters',
      'rules[2].decay': 'must have only one of: expires, halfLife',
      'rules[3].decay': 'must have one of: expires, halfLife',
      'rules[3].decay.foo': 'is not a known key here',
      'rules[4].decay.expires': 'must be string',
    });
    const lines = Object.fromEntries(details(text).map((d) => [d.path, d.line]));
    expect(lines).toEqual({
      'rules[0].points': 9,
      'rules[1].points': 10,
      'rules[2].decay': 11,
      'rules[3].decay': 12,
      'rules[3].decay.foo': 12,
      'rules[4].decay.expires': 13,
    });
  });

  it('no reason ever speaks of anyOf or blames a key the author got right', () => {
    const arbValue = fc.oneof(
      fc.constant('true'),
      fc.constant('[1]'),
      fc.constant('{}'),
      fc.constant('.nan'),
      fc.constant('""'),
      fc.constant('P30'),
      fc.constant('30'),
      fc.constant('P1D'),
    );
    fc.assert(
      fc.property(fc.constantFrom('expires', 'halfLife'), arbValue, arbValue, (key, v, points) => {
        const text = rule(`points: ${points}, decay: { ${key}: ${v} }`);
        let ds: ErrorDetail[];
        try {
          compileRulebook(text, { file: 'msg.yaml' });
          return;
        } catch (e) {
          if (!(e instanceof CredenceError)) throw e;
          ds = [...e.details];
        }
        for (const d of ds) {
          expect(d.reason).not.toMatch(/anyOf/);
          expect(d.path).not.toBe(`rules[0].decay.${key === 'expires' ? 'halfLife' : 'expires'}`);
          if (d.path === `rules[0].decay.${key}`) expect(d.reason).not.toBe('is not a known key here');
        }
      }),
    );
  });
});
