import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, ok, type World } from './cli.js';

// `credence program load` adds a rulebook as its program's next version. A fact of an event type
// several programs declare feeds each of them and must carry every program's fields: a rulebook
// that declares a field of such a type with another type than a loaded program does would make
// every fact of the type refused, the other program's furnishers stopped by a load that said
// "loaded". It must be refused instead, naming the file, line, field and the other program.

const book = (program: string, amount: string) => `program: ${program}
name: ${program}
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: ${amount} } }
rules:
  - { id: r, on: shop.buy, points: 1, reason: { code: A, text: a } }
`;
const fact = (id: string) =>
  JSON.stringify({
    id,
    source: 'shop',
    type: 'shop.buy',
    occurredAt: '2026-03-01T00:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { amount: 5 },
  });

describe('credence program load beside other programs', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld();
    for (const [f, text] of [
      ['pa.yaml', book('pa', 'number')],
      ['pb.yaml', book('pb', 'string')],
      ['pc.yaml', book('pc', 'number')],
    ] as const)
      writeFileSync(join(w.dir, f), text);
    ok(w.run(['program', 'load', join(w.dir, 'pa.yaml')]));
  });
  afterAll(() => w.dispose());

  it('refuses a rulebook whose shared event type clashes with a loaded program', () => {
    const r = w.run(['program', 'load', join(w.dir, 'pb.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `pb.yaml:7:45 events['shop.buy'].fields.amount: field "amount" of shop.buy is string here, but program pa (v1) declares it number`,
    );
    expect(r.stderr).toContain('[CREDENCE_E_RULEBOOK_INVALID]');
    expect(ok(w.run(['program', 'list'])).stdout).not.toMatch(/^pb /m);
    // The loaded program's furnishers are not stopped.
    const ingest = w.run(['ingest', '-'], { input: `${fact('b1')}\n` });
    expect(ingest.code).toBe(0);
  });

  it('loads one that declares the type alike', () => {
    ok(w.run(['program', 'load', join(w.dir, 'pc.yaml')]));
    expect(w.run(['ingest', '-'], { input: `${fact('b2')}\n` }).code).toBe(0);
  });
});

// An upgrade that declares one more field of a stored event type: facts sent before lack it. A
// rule of the new version that reads it unguarded cannot be evaluated on them, and loading the
// version re-derives the program's ledgers from them: the load stored the version, then failed
// ('rule "big" gave NaN points for fact shop/b1'), and every score of the person failed after.
describe('credence program load of a version that reads a new field', () => {
  let w: World;
  const v1 = `program: up
name: Up
enrollment: opt-out
scale: { min: 0, max: 200, base: 100 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: buy, on: shop.buy, points: 1, reason: { code: B1, text: buying } }
`;
  const v2 = (big: string) => `program: up
name: Up
effectiveFrom: 2026-06-01
enrollment: opt-out
scale: { min: 0, max: 200, base: 100 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number, items: number } }
rules:
  - { id: buy, on: shop.buy, points: 1, reason: { code: B1, text: buying } }
  - { id: big, on: shop.buy, ${big}, reason: { code: B2, text: big baskets } }
`;
  beforeAll(() => {
    w = makeWorld();
    writeFileSync(join(w.dir, 'v1.yaml'), v1);
    writeFileSync(join(w.dir, 'bad.yaml'), v2('points: "fact.items * 1.0"'));
    writeFileSync(join(w.dir, 'bad-when.yaml'), v2('when: "!(fact.items > 2.0)", points: 5'));
    writeFileSync(join(w.dir, 'good.yaml'), v2('when: "has(fact.items) && fact.items > 2.0", points: 5'));
    ok(w.run(['program', 'load', join(w.dir, 'v1.yaml')]));
    const old = JSON.stringify({
      id: 'b1',
      source: 'shop',
      type: 'shop.buy',
      occurredAt: '2026-02-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 5 },
    });
    ok(w.run(['ingest', '-'], { input: `${old}\n` }));
  });
  afterAll(() => w.dispose());
  const score = (asOf: string) =>
    w.json<{ score: number }>(['score', 'P0000001', '--program', 'up', '--as-of', asOf]).score;

  it('refuses it before storing anything, naming the rule, the field and a stored fact', () => {
    for (const [file, path, line] of [
      ['bad.yaml', 'rules[1].points', '11:30'],
      ['bad-when.yaml', 'rules[1].when', '11:30'],
    ] as const) {
      const r = w.run(['program', 'load', join(w.dir, file)]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${file}:${line} ${path}: cannot be evaluated on 1 stored fact of shop.buy`);
      expect(r.stderr).toMatch(/such as shop\/b1\), which lacks? fact\.items.*has\(fact\.items\)/);
    }
    expect(ok(w.run(['program', 'list'])).stdout).not.toMatch(/up v2/);
    expect(score('2026-07-01T00:00:00Z')).toBe(101);
  });

  it('loads it when the rule reads the field under has()', () => {
    ok(w.run(['program', 'load', join(w.dir, 'good.yaml')]));
    expect(ok(w.run(['program', 'list'])).stdout).toMatch(/up v2/);
    expect(score('2026-07-01T00:00:00Z')).toBe(101);
  });
});

describe('credence program load of the text already loaded (idempotent re-load)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld();
    writeFileSync(join(w.dir, 'pa.yaml'), book('pa', 'number'));
    writeFileSync(join(w.dir, 'facts.jsonl'), `${fact('f1')}\n`);
    ok(w.run(['program', 'load', join(w.dir, 'pa.yaml')]));
    ok(w.run(['ingest', join(w.dir, 'facts.jsonl')]));
  });
  afterAll(() => w.dispose());

  const versions = () =>
    w
      .json<{ programs: { program: string; version: number }[] }>(['program', 'list'])
      .programs.map((p) => `${p.program} v${p.version}`);

  it('adds no version and re-derives nothing when the file is the latest version as loaded', () => {
    const before = versions();
    const again = w.json<{ version: number; unchanged?: boolean; rebuiltPeople: number }>([
      'program',
      'load',
      join(w.dir, 'pa.yaml'),
    ]);
    expect(again).toMatchObject({ version: 1, unchanged: true, rebuiltPeople: 0 });
    expect(versions()).toEqual(before);
    const text = ok(w.run(['program', 'load', join(w.dir, 'pa.yaml')])).stdout;
    expect(text).toMatch(/pa v1 .*unchanged/);
    expect(versions()).toEqual(before);
  });

  it('a changed text is the next version, and the first text again after it is one more', () => {
    writeFileSync(join(w.dir, 'pa2.yaml'), book('pa', 'number').replace('points: 1', 'points: 2'));
    expect(w.json<{ version: number }>(['program', 'load', join(w.dir, 'pa2.yaml')]).version).toBe(2);
    // Going back to the rules of v1 is a change from v2: a version of its own.
    expect(w.json<{ version: number }>(['program', 'load', join(w.dir, 'pa.yaml')]).version).toBe(3);
    expect(versions()).toEqual(['pa v1', 'pa v2', 'pa v3']);
  });
});
