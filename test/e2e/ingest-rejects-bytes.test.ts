import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from './cli.js';

const RULEBOOK = `program: shop
name: Shop
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
  - { id: a, min: 0 }
events:
  shop.buy: { category: commerce, fields: { n: number } }
rules:
  - { id: buy, on: shop.buy, points: "fact.n", reason: { code: B, text: Purchases } }
`;

const buy = (id: string, day: number, type = 'shop.buy'): string =>
  line({
    id,
    source: 'shop',
    type,
    occurredAt: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
    subject: { phone: `+86138001380${String(day).padStart(2, '0')}` },
    data: { n: 1 },
  });

// `latin1` turns each character below U+0100 into the one byte of that value: a line as a
// furnisher's Latin-1 export holds it (é as E9), or with broken UTF-8 (C3 followed by "(").
const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

// `--rejects` wrote each refused line as decoded, followed by LF: a line that was not UTF-8 came
// back with U+FFFD in place of its bytes, so a furnisher could no longer convert it and resend it,
// and CRLF line ends and a last line without a break were not kept. The rejects file now holds
// the refused lines byte for byte.
describe('credence ingest --rejects keeps each refused line as it was sent (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('Latin-1 and broken UTF-8 bytes, CRLF and a last line without a break come back exact, and the fixed file ingests', () => {
    w = makeWorld();
    const rb = join(w.dir, 'shop.yaml');
    writeFileSync(rb, RULEBOOK);
    ok(w.run(['program', 'load', rb]));
    const refused = [
      bytes(`${buy('caf\u00e9', 2)}\r\n`),
      bytes(`${buy('bro\u00c3(ken', 3)}\n`),
      bytes('{"id": "cut", "source": "shop"\r\n'),
      bytes(buy('last', 4, 'shop.nope')),
    ];
    const input = Buffer.concat([
      bytes(`${buy('good1', 1)}\r\n`),
      refused[0] as Buffer,
      refused[1] as Buffer,
      bytes(`${buy('good2', 5)}\n`),
      refused[2] as Buffer,
      refused[3] as Buffer,
    ]);
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, input);
    const rejects = join(w.dir, 'rejects.jsonl');
    const r = w.run(['ingest', file, '--json', '--rejects', rejects]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 6, accepted: 2, rejected: 4 });
    const back = readFileSync(rejects);
    expect(back.toString('hex')).toBe(Buffer.concat(refused).toString('hex'));

    // The furnisher converts Latin-1 to UTF-8 and fixes each line, line ends as they were.
    const fixed = Buffer.from(
      back
        .toString('latin1')
        .replace('bro\u00c3(ken', 'broken')
        .replace('{"id": "cut", "source": "shop"', buy('cut', 6))
        .replace('shop.nope', 'shop.buy'),
      'utf8',
    );
    expect(fixed.includes(Buffer.from('café', 'utf8'))).toBe(true);
    const fixedFile = join(w.dir, 'fixed.jsonl');
    writeFileSync(fixedFile, fixed);
    const again = w.run(['ingest', fixedFile, '--json', '--rejects', join(w.dir, 'rejects2.jsonl')]);
    expect(JSON.parse(again.stdout)).toMatchObject({ lines: 4, accepted: 4, rejected: 0 });
    expect(readFileSync(join(w.dir, 'rejects2.jsonl')).length).toBe(0);
  });

  it('a last line without a break is ended when a later file refuses a line too, and a BOM is not copied', () => {
    w = makeWorld();
    const rb = join(w.dir, 'shop.yaml');
    writeFileSync(rb, RULEBOOK);
    ok(w.run(['program', 'load', rb]));
    const a = join(w.dir, 'a.jsonl');
    const b = join(w.dir, 'b.jsonl');
    writeFileSync(
      a,
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        bytes(`${buy('a1', 1, 'shop.nope')}\r\n`),
        bytes(buy('a2', 2, 'shop.nope')),
      ]),
    );
    writeFileSync(b, bytes(`${buy('b1', 3, 'shop.nope')}\r\n`));
    const rejects = join(w.dir, 'rejects.jsonl');
    const r = w.run(['ingest', a, b, '--json', '--rejects', rejects]);
    expect(JSON.parse(r.stdout)).toMatchObject({ rejected: 3 });
    expect(readFileSync(rejects, 'latin1')).toBe(
      `${buy('a1', 1, 'shop.nope')}\r\n${buy('a2', 2, 'shop.nope')}\n${buy('b1', 3, 'shop.nope')}\r\n`,
    );
  });
});
