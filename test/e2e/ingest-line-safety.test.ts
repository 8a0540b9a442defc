import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from './cli.js';

const RULEBOOK = `program: big
name: Big numbers
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
  - { id: a, min: 0 }
events:
  shop.buy: { category: commerce, fields: { n: number } }
rules:
  - { id: times-ten, on: shop.buy, points: "fact.n * 10.0", reason: { code: B, text: Purchases } }
`;

const buy = (id: string, n: number, day: number, phone = '+8613800138000'): string =>
  line({
    id,
    source: 'shop',
    type: 'shop.buy',
    occurredAt: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
    subject: { phone },
    data: { n },
  });

// One line is judged as one line: what it does wrong is its own refusal, never the file's.
describe('credence ingest refuses a bad line, not the file (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a fact whose rule gives non-finite points is refused with its line; every other line is stored', () => {
    w = makeWorld();
    const rb = join(w.dir, 'big.yaml');
    writeFileSync(rb, RULEBOOK);
    ok(w.run(['program', 'load', rb]));
    // More than one batch before and after the bad line (the batch is 5,000 lines).
    const lines: string[] = [];
    for (let i = 0; i < 6001; i++)
      lines.push(buy(`b${i}`, i === 5500 ? 1e308 : 1, i % 300, `+86138${String(i % 50).padStart(8, '0')}`));
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const rejects = join(w.dir, 'rejects.jsonl');
    const r = w.run(['ingest', file, '--json', '--rejects', rejects]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      lines: 6001,
      accepted: 6000,
      rejected: 1,
    });
    expect(r.stderr).toContain('[CREDENCE_E_FACT_INVALID]');
    expect(r.stderr).toMatch(/facts\.jsonl:5501 .*rule "times-ten" of big gave Infinity points/);
    // The same run again stores nothing more and refuses the same line.
    const again = w.run(['ingest', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 6000, rejected: 1 });
  });

  it('an opt-out cannot be retracted: the person stays not scored, for past instants too', () => {
    w = makeWorld();
    const rb = join(w.dir, 'big.yaml');
    writeFileSync(rb, RULEBOOK);
    ok(w.run(['program', 'load', rb]));
    const optOut = line({
      id: 'oo1',
      source: 'desk',
      type: 'credence.opt_out',
      occurredAt: '2026-01-05T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { program: 'big' },
    });
    ok(w.run(['ingest', '-'], { input: `${buy('b1', 1, 0)}\n${buy('b2', 2, 1)}\n${optOut}\n` }));
    const score = () =>
      w.json<{ status: string; reason?: string }>([
        'score',
        'P0000001',
        '--program',
        'big',
        '--as-of',
        '2026-01-03T00:00:00Z',
      ]);
    expect(score()).toMatchObject({ status: 'not-scored', reason: 'opted-out' });

    // In the same file as the opt-out, and in a later one: refused, naming the field.
    const retract = (id: string) =>
      line({ id, source: 'desk', retracts: 'oo1', occurredAt: '2026-01-06T00:00:00Z' });
    const r = w.run(['ingest', '-', '--json'], { input: `${retract('rr1')}\n` });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accepted: 0,
      rejected: 1,
    });
    expect(r.stderr).toMatch(
      /<stdin>:1 retracts: "oo1" is an opt-out, which cannot be retracted.*\[CREDENCE_E_CONSENT_INVALID\]/,
    );
    expect(score()).toMatchObject({ status: 'not-scored', reason: 'opted-out' });

    const optOut2 = line({
      id: 'oo2',
      source: 'desk',
      type: 'credence.opt_out',
      occurredAt: '2026-01-07T00:00:00Z',
      subject: { phone: '+8613800138001' },
      data: { program: 'big' },
    });
    const sameFile = line({ id: 'rr2', source: 'desk', retracts: 'oo2', occurredAt: '2026-01-08T00:00:00Z' });
    const r2 = w.run(['ingest', '-', '--json'], {
      input: `${buy('c1', 1, 0, '+8613800138001')}\n${optOut2}\n${sameFile}\n`,
    });
    expect(JSON.parse(r2.stdout)).toMatchObject({
      accepted: 2,
      rejected: 1,
    });
    expect(r2.stderr).toContain('[CREDENCE_E_CONSENT_INVALID]');
    expect(
      w.json<{ status: string }>([
        'score',
        'P0000002',
        '--program',
        'big',
        '--as-of',
        '2026-01-03T00:00:00Z',
      ]),
    ).toMatchObject({ status: 'not-scored' });
  });
});
