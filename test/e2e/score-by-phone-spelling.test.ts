import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// A phone is stored as its furnisher wrote it, short of spaces and dashes. A wallet sends
// +8613800138000, a shop 13900139000: an operator or relying party typing the other spelling
// was told "no person" (exit 4), though the number is the same.
let w: World;
beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const lines = [
    payment('a1', '2026-03-01T08:00:00Z', { phone: '+8613800138000' }),
    payment('b1', '2026-03-01T09:00:00Z', { phone: '13900139000' }),
  ];
  ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
}, 60_000);
afterAll(() => w?.dispose());

const subjectOf = (text: string): string =>
  (w.json<{ subject: string }>(['score', text, '--program', 'marketplace']) as { subject: string }).subject;

describe('credence score by a phone number in either spelling (real binary)', () => {
  it('finds the person recorded under E.164 by the national number, and the other way round', () => {
    const a = subjectOf('+8613800138000');
    expect(subjectOf('13800138000')).toBe(a);
    expect(subjectOf('138-0013-8000')).toBe(a);
    const b = subjectOf('13900139000');
    expect(b).not.toBe(a);
    expect(subjectOf('+86 139 0013 9000')).toBe(b);
  });

  it('still says no person for a number nobody holds', () => {
    expect(w.run(['score', '13700137000', '--program', 'marketplace']).code).toBe(4);
  });
});
