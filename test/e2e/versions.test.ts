import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// Rulebook versions: loading a new version never rewrites history; a score at an as-of is
// computed under the version in force then, so a version change can be replayed.

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };

describe('rulebook versions (real binary, real SQLite file)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // Version 2 from 2026-06-01 doubles what a wallet payment gives (3 → 6 points).
    const v2 = readFileSync(MARKETPLACE, 'utf8')
      .replace(/^program: marketplace$/m, 'program: marketplace\neffectiveFrom: 2026-06-01T00:00:00Z')
      .replace(/(- id: wallet-payment[\s\S]*?points: )3\b/, '$16');
    expect(v2).toContain('effectiveFrom: 2026-06-01');
    writeFileSync(join(w.dir, 'v2.yaml'), v2);
    ok(w.run(['program', 'load', join(w.dir, 'v2.yaml')]));
    const facts = [1, 2, 3, 4, 5].map((m) => payment(`p${m}`, `2026-0${m}-10T10:00:00Z`, WEI, 50));
    writeFileSync(join(w.dir, 'facts.jsonl'), `${facts.join('\n')}\n`);
    ok(w.run(['ingest', join(w.dir, 'facts.jsonl')]));
  });
  afterAll(() => w.dispose());

  type Score = { status: string; score: number; reasons: { code: string; points: number }[] };
  const score = (asOf: string) =>
    w.json<Score>(['score', 'P0000001', '--program', 'marketplace', '--as-of', asOf]);
  const wallet = (s: Score) => s.reasons.find((r) => r.code === 'B10')?.points;

  it('keeps both versions, numbered', () => {
    const r = ok(w.run(['program', 'list']));
    expect(r.stdout).toMatch(/marketplace v1\b/);
    expect(r.stdout).toMatch(/marketplace v2\b/);
    // Which version scores an as-of depends on when each applies: the list says it.
    expect(r.stdout).toMatch(/marketplace v1\b.*effective always/);
    expect(r.stdout).toMatch(/marketplace v2\b.*effective from 2026-06-01T00:00:00\.000Z/);
  });

  it('scores an as-of before the change under version 1 and after it under version 2', () => {
    expect(wallet(score('2026-05-31T00:00:00Z'))).toBe(15); // five payments × 3 under v1
    expect(wallet(score('2026-06-01T00:00:00Z'))).toBe(30); // the same five × 6 under v2
  });
});

describe('a version not yet in force (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // Version 2, in force only from 2099, no longer scores rides: it drops the event type.
    const v2 = readFileSync(MARKETPLACE, 'utf8')
      .replace(/^program: marketplace$/m, 'program: marketplace\neffectiveFrom: 2099-01-01T00:00:00Z')
      .replace(/^ {2}ride\.completed:.*\n/m, '')
      .replace(/^ {2}- id: ride-used\n(?: {4}.*\n)+/m, '')
      .replace('ride.completed, ', '');
    expect(v2).not.toContain('ride.completed');
    writeFileSync(join(w.dir, 'v2.yaml'), v2);
    ok(w.run(['program', 'load', join(w.dir, 'v2.yaml')]));
  });
  afterAll(() => w.dispose());

  it('does not refuse, nor leave unscored, a type the version in force declares', () => {
    const ride = (id: string, at: string) =>
      JSON.stringify({
        id,
        source: 'ride',
        type: 'ride.completed',
        occurredAt: at,
        subject: WEI,
        data: { amount: 30 },
      });
    const facts = [
      payment('p1', '2026-01-10T10:00:00Z', WEI, 50),
      payment('p2', '2026-02-10T10:00:00Z', WEI, 50),
      ride('r1', '2026-03-10T10:00:00Z'),
    ];
    writeFileSync(join(w.dir, 'rides.jsonl'), `${facts.join('\n')}\n`);
    const r = w.run(['ingest', join(w.dir, 'rides.jsonl'), '--json']);
    expect(r.stderr).not.toContain('CREDENCE_E_FACT_UNKNOWN_TYPE');
    expect(r.code).toBe(0);
    const s = w.json<{ version: number; reasons: { code: string }[] }>([
      'score',
      'P0000001',
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]);
    expect(s.version).toBe(1);
    expect(s.reasons.map((x) => x.code)).toContain('B12');
    // The cached score (as of the latest fact) is that of the version in force then.
    const file = w.json<{ scores: { program: string; version: number }[] }>(['export', 'P0000001']);
    expect(file.scores.find((x) => x.program === 'marketplace')?.version).toBe(1);
  });
});
