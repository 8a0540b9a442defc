import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// `credence score P3` follows P3's merge into P2, yet `credence identity merge P3 P1` answered
// "no person P0000003" (exit 4): the desk had to look the survivor up itself.
const pay = (id: string, phone: string): string =>
  line({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-03-01T00:00:00Z',
    subject: { phone },
    data: { amount: 120 },
  });

describe('credence identity merge names a merged-away id as its survivor (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('merges the survivor, and refuses ids that are one person already', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const input = `${pay('a', '+8613800138001')}\n${pay('b', '+8613800138002')}\n${pay('c', '+8613800138003')}\n`;
    ok(w.run(['ingest', '-'], { input }));
    ok(w.run(['identity', 'merge', 'P0000003', 'P0000002', '--note', 'same phone owner']));
    const second = w.run(['identity', 'merge', 'P0000003', 'P0000001', '--note', 'also them', '--json']);
    expect(second.code, second.stderr).toBe(0);
    // All three payments are one person's now, P0000001 (the oldest id survives).
    for (const id of ['P0000001', 'P0000002', 'P0000003']) {
      const file = w.json<{ subject: string; facts: unknown[] }>(['export', id]);
      expect(file.subject, id).toBe('P0000001');
      expect(file.facts, id).toHaveLength(3);
    }
    const again = w.run(['identity', 'merge', 'P0000002', 'P0000003']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/P0000002 and P0000003 are one person already \(P0000001\)/);
  });
});
