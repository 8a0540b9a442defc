import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

// `credence generate --end` in the future wrote facts that ingest then refused one by one as
// dated ahead, with no word at generation. It says so once, on stderr; stdout stays the facts.
describe('credence generate --end after now (real binary)', () => {
  it('notes that ingest will refuse the facts dated after now; an end in the past says nothing', () => {
    const ahead = runCli(['generate', '--people', '2', '--days', '3', '--end', '2999-01-01']);
    expect(ahead.code).toBe(0);
    expect(ahead.stderr).toContain('--end 2999-01-01 is after now');
    expect(ahead.stderr).toContain('CREDENCE_E_FACT_IN_FUTURE');
    for (const l of ahead.stdout.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();

    const past = runCli(['generate', '--people', '2', '--days', '3', '--end', '2026-01-01']);
    expect(past.code).toBe(0);
    expect(past.stderr).toBe('');
  });
});
