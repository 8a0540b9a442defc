import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// An opt-out dated ahead of the clock is recorded and holds at once, for every as-of, until an
// opt-in after its date (docs/policy.md, "Facts dated ahead"); an opt-in dated ahead is refused.
// `credence consent` said neither: an opt-in given while such an opt-out stands printed
// "P0000001 opted in to marketplace" and the person stayed opted out; an opt-in with --at ahead
// was refused with "[CREDENCE_E_CONSENT_INVALID]" alone under the reason, naming neither --at nor the
// refusal's own code (CREDENCE_E_FACT_IN_FUTURE, as ingest gives it).
describe('credence consent around an opt-out dated ahead (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const optOutAhead = line({
    id: 'o-typo',
    source: 'desk',
    type: 'credence.opt_out',
    occurredAt: '2099-01-01T00:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { program: 'marketplace' },
  });
  const payment = line({
    id: 'p1',
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-03-01T00:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { amount: 120 },
  });

  it('says an opt-in is recorded but does not hold while a later-dated opt-out stands', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    ok(w.run(['ingest', '-'], { input: `${payment}\n` }));
    // An opt-in after an opt-out in the past holds, and is said to as before.
    ok(
      w.run(['consent', 'P0000001', '--program', 'marketplace', '--opt-out', '--at', '2026-04-01T00:00:00Z']),
    );
    const back = w.json<Record<string, unknown>>([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-in',
      '--at',
      '2026-05-01T00:00:00Z',
    ]);
    expect(back.recorded).toBe(true);
    expect(back).not.toHaveProperty('heldBy');
    ok(w.run(['ingest', '-'], { input: `${optOutAhead}\n` }));
    const r = ok(w.run(['consent', 'P0000001', '--program', 'marketplace', '--opt-in']));
    expect(r.stdout).toContain('recorded');
    expect(r.stdout).toContain('2099-01-01T00:00:00.000Z');
    expect(r.stdout).not.toMatch(/^P0000001 opted in to marketplace at \S+\n$/);
    const j = w.json<{ recorded: boolean; heldBy?: { optOut: string; fact: string } }>([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-in',
      '--at',
      '2026-06-01T00:00:00Z',
    ]);
    expect(j.recorded).toBe(true);
    expect(j.heldBy).toEqual({ optOut: '2099-01-01T00:00:00.000Z', fact: 'desk/o-typo' });
    // What the message says is what scoring does.
    expect(w.json<{ reason?: string }>(['score', 'P0000001', '--program', 'marketplace']).reason).toBe(
      'opted-out',
    );
  });

  it('refuses an opt-in dated ahead naming --at and why, and records and logs nothing', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    ok(w.run(['ingest', '-'], { input: `${payment}\n` }));
    const r = w.run([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-in',
      '--at',
      '2099-06-01T00:00:00Z',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("P0000001's opt-in of marketplace was not recorded");
    expect(r.stderr).toMatch(
      /--at: .*2099-06-01T00:00:00\.000Z.*later than now.*\[CREDENCE_E_FACT_IN_FUTURE\]/,
    );
    const { entries } = w.json<{ entries: { action: string }[] }>(['audit', 'list']);
    expect(entries.map((e) => e.action)).not.toContain('consent.change');
    const file = w.json<{ consents: unknown[] }>(['export', 'P0000001']);
    expect(file.consents).toEqual([]);
  });
});
