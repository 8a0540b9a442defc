import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// `credence identity merge P P` merged a person with themself: exit 0, "facts moved: 0", the person
// rescored, and an `identity.merge` decision in the audit log that no operator could have meant —
// while every other merge the desk cannot make is refused and logged as `identity.refused`.
describe('credence identity merge of a person with themself (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused as a usage error and logged as a refusal, not as a merge', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const f = line({
      id: 'p1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 120 },
    });
    ok(w.run(['ingest', '-'], { input: `${f}\n` }));
    const r = w.run(['identity', 'merge', 'P0000001', 'P0000001']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/P0000001.*itself|themself/);
    expect(r.stderr).toMatch(/CREDENCE_E_USAGE/);
    const { entries } = w.json<{ entries: { action: string }[] }>(['audit', 'list']);
    // The desk's entries (the program load and the ingest before it are logged too).
    expect(entries.map((e) => e.action).filter((a) => a.startsWith('identity.'))).toEqual([
      'identity.refused',
    ]);
  });
});
