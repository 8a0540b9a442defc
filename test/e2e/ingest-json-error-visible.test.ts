import { afterAll, describe, expect, it } from 'vitest';
import { countFacts, MARKETPLACE, makeWorld, payment } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

describe('a line that is not JSON because of an invisible character (real binary)', () => {
  // JSON.parse's message quotes the character it stopped at: a NUL or a zero-width space went to
  // the terminal as sent, so the refusal read `Unexpected token ' '` (or `''`) and named nothing.
  it('names the character by its code point; the good line is stored', () => {
    const good = payment('p1', '2026-03-01T10:00:00Z', { phone: '+8613800138000' });
    const r = w.run(['ingest', '-'], { input: `${good}\n\u0000\n{"id":"p2",\u200b"source":"pay"}\n` });
    expect(r.code).toBe(3);
    const refusals = r.stderr.trim().split('\n');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatch(/^<stdin>:2 not valid JSON: .*\\u0000.*\[CREDENCE_E_FACT_JSON\]$/);
    expect(refusals[1]).toMatch(/^<stdin>:3 not valid JSON: .*\\u200b.*\[CREDENCE_E_FACT_JSON\]$/);
    expect(r.stderr.includes('\u0000') || r.stderr.includes('\u200b')).toBe(false);
    expect(countFacts(w.db)).toBe(1);
  });
});
