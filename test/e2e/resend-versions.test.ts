import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase, line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// DESIGN.md: re-sending a fact is a no-op, and the score is a pure function of facts, rulebook and
// as-of. Across a rulebook version switch mid-history: a feed re-sent after version 2 was loaded
// (as sent, and with its instants written in another UTC offset) stores nothing, changes no score
// on either side of the switch, and leaves the database as if version 2 had been loaded before
// the feed ever arrived.

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };

/** Version 2 from 1 April: a wallet payment gives 6, not 3, and the monthly cap is 15, not 12. */
function v2Text(): string {
  const v2 = readFileSync(MARKETPLACE, 'utf8')
    .replace(/^program: marketplace$/m, 'program: marketplace\neffectiveFrom: 2026-04-01T00:00:00Z')
    .replace(/(- id: wallet-payment[\s\S]*?points: )3\b/, '$16')
    .replace(/(- id: wallet-payment[\s\S]*?cap: \{ max: )12\b/, '$115');
  expect(v2).toContain('effectiveFrom: 2026-04-01');
  return v2;
}

/** Payments on 1–6 of each month, January to July, written in Beijing time (+08:00). */
function feed(offset: '+08:00' | 'Z'): string[] {
  const lines: string[] = [];
  for (let m = 1; m <= 7; m++) {
    for (let d = 1; d <= 6; d++) {
      const utc = Date.UTC(2026, m - 1, d, 2, 30);
      const local = new Date(utc + (offset === 'Z' ? 0 : 8 * 3_600_000)).toISOString().slice(0, 19);
      lines.push(payment(`p${m}-${d}`, `${local}${offset}`, WEI, 50));
    }
  }
  // A correction: the payment of 3 May was never made.
  lines.push(line({ id: 'r1', source: 'pay', retracts: 'p5-3', occurredAt: '2026-05-20T00:00:00Z' }));
  return lines;
}

const AS_OFS = [
  '2026-03-31T23:59:59.999Z',
  '2026-04-01T00:00:00Z',
  '2026-05-04T00:00:00Z',
  '2026-08-01T00:00:00Z',
  '2026-11-01T00:00:00Z',
];

describe('re-sent facts across a rulebook version switch (real binary, real SQLite file)', () => {
  let resent: World;
  let loadedFirst: World;
  const scores = (w: World) =>
    AS_OFS.map((asOf) => w.json(['score', 'P0000001', '--program', 'marketplace', '--as-of', asOf]));
  let beforeResend: unknown[];

  beforeAll(() => {
    resent = makeWorld({ programs: [MARKETPLACE] });
    loadedFirst = makeWorld({ programs: [MARKETPLACE] });
    for (const w of [resent, loadedFirst]) {
      writeFileSync(join(w.dir, 'v2.yaml'), v2Text());
      writeFileSync(join(w.dir, 'feed.jsonl'), `${feed('+08:00').join('\n')}\n`);
      writeFileSync(join(w.dir, 'feed-utc.jsonl'), `${feed('Z').join('\n')}\n`);
    }
    ok(resent.run(['ingest', join(resent.dir, 'feed.jsonl')]));
    ok(resent.run(['program', 'load', join(resent.dir, 'v2.yaml')]));
    beforeResend = scores(resent);
    ok(loadedFirst.run(['program', 'load', join(loadedFirst.dir, 'v2.yaml')]));
    ok(loadedFirst.run(['ingest', join(loadedFirst.dir, 'feed.jsonl')]));
  }, 60_000);
  afterAll(() => {
    resent.dispose();
    loadedFirst.dispose();
  });

  it('the version switch shows in the scores (the test would prove nothing otherwise)', () => {
    const wallet = (s: unknown) =>
      (s as { reasons: { code: string; points: number }[] }).reasons.find((r) => r.code === 'B10')?.points;
    // One millisecond apart, with no fact between: only the version differs.
    expect(wallet(beforeResend[1])).toBeGreaterThan(wallet(beforeResend[0]) as number);
  });

  it('re-sending the feed, as sent and in another offset, stores nothing and changes no score', () => {
    for (const file of ['feed.jsonl', 'feed-utc.jsonl']) {
      const r = ok(resent.run(['ingest', join(resent.dir, file), '--json']));
      const summary = JSON.parse(r.stdout) as Record<string, number>;
      expect(summary).toMatchObject({ accepted: 0, duplicates: feed('Z').length });
    }
    expect(scores(resent)).toEqual(beforeResend);
  });

  it('an as-of written in another offset is the same instant, on either side of the switch', () => {
    const at = (asOf: string) =>
      resent.json(['score', 'P0000001', '--program', 'marketplace', '--as-of', asOf]);
    expect(at('2026-04-01T07:59:59.999+08:00')).toEqual(beforeResend[0]);
    expect(at('2026-03-31T19:00:00-05:00')).toEqual(beforeResend[1]);
  });

  it('leaves the database as if version 2 had been loaded before the feed arrived', () => {
    expect(scores(loadedFirst)).toEqual(beforeResend);
    const a = dumpDatabase(resent.db);
    const b = dumpDatabase(loadedFirst.db);
    expect(a.facts).toEqual(b.facts);
    expect(a.ledger).toEqual(b.ledger);
    expect(a.scores).toEqual(b.scores);
  });
});
