import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };

describe('credence export (real binary, real SQLite file)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  it('shows a retracted fact, which is still held, beside the retraction that undid it', () => {
    // A retraction stops a fact counting, but the row stays in the store (facts are
    // append-only), so the person's Art. 15 copy must show it: what was sent, by whom, when.
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${[
        payment('p1', '2026-03-01T10:00:00Z', WEI, 120),
        payment('p2', '2026-03-02T10:00:00Z', WEI, 75),
        line({ id: 'r1', source: 'pay', retracts: 'p2', occurredAt: '2026-03-03T00:00:00Z' }),
      ].join('\n')}\n`,
    );
    ok(w.run(['ingest', file]));
    const x = w.json<{
      facts: { id: string }[];
      retractedFacts: { source: string; id: string; data: unknown; retractedBy: string[] }[];
      retractions: { retracts: string }[];
    }>(['export', 'P0000001']);
    expect(x.facts.map((f) => f.id)).toEqual(['p1']);
    expect(x.retractions.map((r) => r.retracts)).toEqual(['p2']);
    expect(x.retractedFacts).toMatchObject([
      { source: 'pay', id: 'p2', type: 'payment.completed', data: { amount: 75 }, retractedBy: ['r1'] },
    ]);
    const text = ok(w.run(['export', 'P0000001'])).stdout;
    expect(text).toMatch(
      /retracted facts \(1\):\n {2}2026-03-02T10:00:00\.000Z {2}pay\/p2 {2}payment\.completed/,
    );
  });
});
