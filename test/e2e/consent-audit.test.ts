import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, type World } from './cli.js';

interface Entry {
  action: string;
  subject: string | null;
  actor: string;
  detail: Record<string, unknown>;
}

// DESIGN: every write of a person's data goes to the hash-chained audit log. An opt-out through the
// API is logged (`consent.change`); the same opt-out by an operator with `credence consent` deleted
// the person's ledger and left no entry, so the log could not say who took a person out of (or put
// them back into) a program, or when.
describe('credence consent goes to the audit log (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('logs each recorded change with the program, the action, its time and the consent fact', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const fact = line({
      id: 'p1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 120 },
    });
    expect(w.run(['ingest', '-'], { input: `${fact}\n` }).code).toBe(0);
    const out = w.run([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      '2026-04-01T00:00:00Z',
    ]);
    expect(out.code, out.stderr).toBe(0);
    // The same change again is not a new write, but its answer shows that the change is in the
    // person's file: logged as a read (`consent.read`), not as a change.
    const again = w.run([
      'consent',
      'P0000001',
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      '2026-04-01T00:00:00Z',
    ]);
    expect(again.stdout).toMatch(/already recorded/);
    expect(
      w.run([
        'consent',
        '+8613800138000',
        '--program',
        'marketplace',
        '--opt-in',
        '--at',
        '2026-05-01T00:00:00Z',
      ]).code,
    ).toBe(0);

    const { entries } = w.json<{ entries: Entry[] }>(['audit', 'list', '--subject', 'P0000001']);
    expect(entries.map((e) => [e.action, e.subject, e.detail])).toEqual([
      [
        'consent.change',
        'P0000001',
        {
          program: 'marketplace',
          action: 'opt-out',
          at: '2026-04-01T00:00:00.000Z',
          fact: `credence/opt-out-marketplace-P0000001-${Date.parse('2026-04-01T00:00:00Z')}`,
        },
      ],
      [
        'consent.read',
        'P0000001',
        {
          program: 'marketplace',
          action: 'opt-out',
          at: '2026-04-01T00:00:00.000Z',
          fact: `credence/opt-out-marketplace-P0000001-${Date.parse('2026-04-01T00:00:00Z')}`,
          recorded: false,
        },
      ],
      [
        'consent.change',
        'P0000001',
        {
          program: 'marketplace',
          action: 'opt-in',
          at: '2026-05-01T00:00:00.000Z',
          fact: `credence/opt-in-marketplace-P0000001-${Date.parse('2026-05-01T00:00:00Z')}`,
        },
      ],
    ]);
    expect(entries.every((e) => e.actor.startsWith('cli'))).toBe(true);
    expect(w.run(['audit', 'verify']).code).toBe(0);
  });
  it('a refused change asked by identifier names the person as asked, not by the id it found', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const fact = line({
      id: 'p1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 120 },
    });
    expect(w.run(['ingest', '-'], { input: `${fact}\n` }).code).toBe(0);
    // Dated 2099: later than now whenever the test runs, so refused.
    const r = w.run([
      'consent',
      '+8613800138000',
      '--program',
      'marketplace',
      '--opt-in',
      '--at',
      '2099-01-01T00:00:00Z',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CREDENCE_E_FACT_IN_FUTURE');
    expect(r.stderr).toContain('+8613800138000');
    // Nothing was logged, so the refusal must not tell who holds the phone number.
    expect(r.stderr).not.toContain('P0000001');
    const after = w.json<{ entries: Entry[] }>(['audit', 'list']).entries;
    expect(after.filter((e) => e.subject === 'P0000001')).toEqual([]);
    expect(after.filter((e) => e.action.startsWith('consent'))).toEqual([]);
  });

  it('an identifier two people hold is refused without saying who they are', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // One value, two kinds: a passport number of one person, an account name of another.
    const pay = (id: string, subject: Record<string, string>) =>
      line({
        id,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T00:00:00Z',
        subject,
        data: { amount: 5 },
      });
    const facts = [pay('x1', { passport_number: 'E12345678' }), pay('x2', { account: 'E12345678' })];
    expect(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }).code).toBe(0);
    const r = w.run(['consent', 'E12345678', '--program', 'marketplace', '--opt-out']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CREDENCE_E_SUBJECT_AMBIGUOUS');
    expect(r.stderr).toContain('"E12345678" names 2 people');
    expect(r.stderr).not.toMatch(/P000000[12]/);
    expect(w.json<{ entries: Entry[] }>(['audit', 'list']).entries.filter((e) => e.subject)).toEqual([]);
    // Nor do the reads that look a person up the same way (one lookup for every command).
    for (const args of [
      ['score', 'E12345678', '--program', 'marketplace'],
      ['explain', 'E12345678', '--program', 'marketplace'],
      ['export', 'E12345678'],
    ]) {
      const read = w.run(args);
      expect(read.code, args[0]).not.toBe(0);
      expect(read.stderr, args[0]).toContain('"E12345678" names 2 people');
      expect(read.stderr, args[0]).not.toMatch(/P000000[12]/);
    }
  });
});
