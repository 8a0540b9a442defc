import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// An opt-out dated ahead of the clock is recorded and takes effect when it was received, until an
// opt-in after that (docs/policy.md, "Facts dated ahead"); an opt-in dated ahead is refused. At its
// own date (2099) it outweighed every opt-in the person gave until then, and cannot be retracted.
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

  it('an opt-out dated ahead holds from its receipt: an opt-in after that holds, one dated back before it does not', () => {
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
    const before = Date.now();
    ok(w.run(['ingest', '-'], { input: `${optOutAhead}\n` }));
    const after = Date.now();
    const score = () =>
      w.json<{ status: string; reason?: string }>(['score', 'P0000001', '--program', 'marketplace']);
    expect(score()).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
    // An opt-in dated back before the opt-out's receipt is stored but does not hold, and says so.
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
    expect(j.heldBy?.fact).toBe('desk/o-typo');
    const inEffect = Date.parse(j.heldBy?.optOut ?? '');
    expect(inEffect).toBeGreaterThanOrEqual(before - 1000);
    expect(inEffect).toBeLessThanOrEqual(after);
    expect(score().reason).toBe('opted-out');
    const text = ok(
      w.run(['consent', 'P0000001', '--program', 'marketplace', '--opt-in', '--at', '2026-07-01T00:00:00Z']),
    );
    expect(text.stdout).toMatch(/does not hold: an opt-out in effect since \S+ \(desk\/o-typo\) is later/);
    // The person's own opt-in now, after it, holds: they are in again (with nothing scored yet,
    // since only what happens after coming back in counts).
    const now = ok(w.run(['consent', 'P0000001', '--program', 'marketplace', '--opt-in']));
    expect(now.stdout).toMatch(/^P0000001 opted in to marketplace at \S+/);
    expect(score()).toMatchObject({ status: 'not-scored', reason: 'insufficient-data' });
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
  it('an opt-out given with --at ahead says it is in effect from now, not from its date', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    ok(w.run(['ingest', '-'], { input: `${payment}\n` }));
    const args = [
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      '2099-01-01T00:00:00Z',
    ];
    const before = Date.now();
    const text = ok(w.run(args)).stdout;
    const after = Date.now();
    expect(text).toContain('dated 2099-01-01T00:00:00.000Z, in effect from ');
    expect(text).not.toMatch(/opted out of marketplace at 2099/);
    const again = w.json<{ recorded: boolean; inEffectFrom?: string }>(args);
    expect(again.recorded).toBe(false);
    const from = Date.parse(again.inEffectFrom as string);
    expect(from).toBeGreaterThanOrEqual(before - 1000);
    expect(from).toBeLessThanOrEqual(after);
    // An opt-out dated in the past is in effect from its date, and says only that.
    w.dispose();
    w = makeWorld({ programs: [MARKETPLACE] });
    ok(w.run(['ingest', '-'], { input: `${payment}\n` }));
    const past = w.json<Record<string, unknown>>([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      '2026-04-01T00:00:00Z',
    ]);
    expect(past).not.toHaveProperty('inEffectFrom');
  });
});
