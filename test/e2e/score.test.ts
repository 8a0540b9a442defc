import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CIVIC, line, MARKETPLACE, makeWorld, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000', account: 'shop:wei' };
const LI = { phone: '+8613900139000' };
const AS_OF = ['--as-of', '2026-06-01T00:00:00Z'];

describe('credence score, explain, consent, export (real binary, real SQLite file)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    const facts = [
      ...[1, 2, 3, 4, 5].map((d) => payment(`w${d}`, `2026-0${d}-02T10:00:00Z`, WEI, 80)),
      line({
        id: 'l1',
        source: 'bank',
        type: 'loan.defaulted',
        occurredAt: '2026-04-01T00:00:00Z',
        subject: { national_id: WEI.national_id },
        data: { lender: 'b', loan: 'x1', amount: 5000 },
      }),
      payment('li1', '2026-03-01T10:00:00Z', LI),
    ];
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, `${facts.join('\n')}\n`);
    const r = w.run(['ingest', file]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => w.dispose());

  it('--json prints status, score, tier, dimensions, reasons, flags, privileges and restrictions', () => {
    const s = w.json<Record<string, unknown>>(['score', 'P0000001', '--program', 'marketplace', ...AS_OF]);
    expect(s.status).toBe('scored');
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'score',
        'tier',
        'dimensions',
        'reasons',
        'flags',
        'privileges',
        'restrictions',
      ]),
    );
    expect(typeof s.score).toBe('number');
    const reasons = s.reasons as { code: string; text: string; points: number }[];
    // Key factors first: the default (a large negative) leads.
    expect(reasons[0]).toMatchObject({ code: 'D01', points: -80 });
    expect(s.flags).toEqual(['unsettled-default']);
    expect(s.restrictions).toMatchObject({ 'no-deferred-payment': true });
    for (const v of Object.values(s.dimensions as Record<string, number>))
      expect(Math.round(v * 100) / 100).toBe(v);
  });

  it('accepts a strong identifier in place of the subject id', () => {
    const byId = w.json(['score', 'P0000001', '--program', 'marketplace', ...AS_OF]);
    expect(w.json(['score', WEI.national_id, '--program', 'marketplace', ...AS_OF])).toEqual(byId);
    expect(w.json(['score', '+86 138 0013 8000', '--program', 'marketplace', ...AS_OF])).toEqual(byId);
  });

  it('answers not-scored with a reason and no score key', () => {
    const s = w.json<Record<string, unknown>>(['score', LI.phone, '--program', 'marketplace', ...AS_OF]);
    expect(s).toMatchObject({ status: 'not-scored', reason: 'insufficient-data' });
    expect('score' in s).toBe(false);
    expect('tier' in s).toBe(false);
  });

  it('an unknown subject or program is an error with its catalogue exit code', () => {
    const r = w.run(['score', 'nobody', '--program', 'marketplace']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error: no person "nobody"/);
    const p = w.run(['score', 'P0000001', '--program', 'nope']);
    expect(p.code).toBe(4);
    expect(p.stderr).toMatch(/no program "nope".*loaded: city-civic, marketplace/);
    const bad = w.run(['score', 'P0000001', '--program', 'marketplace', '--as-of', 'tomorrow']);
    expect(bad.code).toBe(2);
  });

  it('explain shows the full ledger and counterfactuals that add up to the score', () => {
    const x = w.json<{
      outcome: { score: number };
      base: number;
      contributions: { factKey?: string; points: number }[];
      counterfactuals: { code: string; without: number }[];
    }>(['explain', 'P0000001', '--program', 'marketplace', ...AS_OF]);
    const total = x.base + x.contributions.reduce((s, c) => s + c.points, 0);
    expect(Math.round(total)).toBe(x.outcome.score);
    expect(x.contributions.map((c) => c.factKey)).toContain('bank/l1');
    expect(x.counterfactuals.find((c) => c.code === 'D01')?.without).toBe(x.outcome.score + 80);
    const text = w.run(['explain', 'P0000001', '--program', 'marketplace', ...AS_OF]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/without D01 Loan in default/);
  });

  it('opting out deletes the ledger and answers opted-out, never a number; opting in again starts afresh', () => {
    const before = w.json<{ ledgers: Record<string, unknown[]> }>(['export', 'P0000001']);
    expect(before.ledgers.marketplace?.length).toBeGreaterThan(0);
    const out = w.run([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      '2026-05-15T00:00:00Z',
    ]);
    expect(out.code).toBe(0);
    const s = w.json<Record<string, unknown>>(['score', 'P0000001', '--program', 'marketplace', ...AS_OF]);
    expect(s).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
    expect('score' in s).toBe(false);
    // Not even for an as-of before the opt-out: no hidden score exists.
    const past = w.json<Record<string, unknown>>([
      'score',
      'P0000001',
      '--program',
      'marketplace',
      '--as-of',
      '2026-05-01T00:00:00Z',
    ]);
    expect(past.status).toBe('not-scored');
    const file = w.json<{
      ledgers: Record<string, unknown[]>;
      consents: { action: string }[];
      scores: { program: string; status: string; score: number | null; reason: string | null }[];
    }>(['export', 'P0000001']);
    expect(file.ledgers.marketplace).toBeUndefined();
    // Listed, with why there is no number (every loaded program has its row), never a score.
    const rows = file.scores.filter((x) => x.program === 'marketplace');
    expect(rows.map((x) => [x.status, x.reason, x.score ?? null])).toEqual([
      ['not-scored', 'opted-out', null],
    ]);
    expect(file.consents.map((c) => c.action)).toEqual(['opt-out']);

    const back = w.run([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-in',
      '--at',
      '2026-05-20T00:00:00Z',
    ]);
    expect(back.code).toBe(0);
    const later = w.json<Record<string, unknown>>([
      'score',
      'P0000001',
      '--program',
      'marketplace',
      ...AS_OF,
    ]);
    // Facts before the opt-out stay outside: only none remain, so not enough data.
    expect(later).toMatchObject({ status: 'not-scored', reason: 'insufficient-data' });
  });

  it('consent needs exactly one of --opt-out and --opt-in', () => {
    const r = w.run(['consent', 'P0000001', '--program', 'marketplace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --opt-out and --opt-in/);
  });

  it('export lists every fact with its source and dates, identifiers and scores', () => {
    const f = w.json<{
      subject: string;
      identifiers: { kind: string; value: string }[];
      facts: { source: string; id: string; occurredAt: string; storedAt: string }[];
    }>(['export', WEI.national_id]);
    expect(f.subject).toBe('P0000001');
    expect(f.identifiers).toEqual(
      expect.arrayContaining([
        { kind: 'national_id', value: WEI.national_id },
        { kind: 'phone', value: WEI.phone },
      ]),
    );
    expect(f.facts.filter((x) => x.source === 'pay')).toHaveLength(5);
    expect(f.facts[0]).toMatchObject({ source: 'pay', id: 'w1', occurredAt: '2026-01-02T10:00:00.000Z' });
    expect(Date.parse(f.facts[0]?.storedAt ?? '')).toBeGreaterThan(Date.parse('2026-01-01'));
    const text = w.run(['export', 'P0000001']);
    expect(text.stdout).toMatch(/GDPR Art\. 15/);
  });

  // crypto is loaded: the score is logged before it is shown, and the entry's hash is SHA-256.
  it('scores without loading child_process (start-up: it is not used to read a score)', () => {
    const atExit = `process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList)))`;
    const hook = `data:text/javascript,${encodeURIComponent(atExit)}`;
    const r = w.run(['score', 'P0000001', '--program', 'marketplace', ...AS_OF, '--json'], {
      env: { NODE_OPTIONS: `--import=${hook}` },
    });
    expect(r.code, r.stderr).toBe(0);
    const loaded = JSON.parse(r.stderr.split('\nLOADED ')[1] ?? '[]') as string[];
    expect(loaded).toContain('NativeModule fs');
    expect(loaded).not.toContain('NativeModule child_process');
  });
});
