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
      `pb.yaml:7 events['shop.buy'].fields.amount: field "amount" of shop.buy is string here, but program pa (v1) declares it number`,
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
