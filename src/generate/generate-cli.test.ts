import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateJsonl } from './index.js';

// The real binary over the compiled dist/ (built by the global test setup).
const BIN = fileURLToPath(new URL('../../bin/credence.js', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('credence generate', () => {
  it('writes the library output, byte for byte, as JSON Lines on stdout', () => {
    const r = run('generate', '--people', '40', '--seed', '12', '--days', '200');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([...generateJsonl({ people: 40, seed: 12, days: 200 })].join(''));
  });

  it('is deterministic across runs, and the seed changes the population', () => {
    const a = run('generate', '--people', '30').stdout;
    expect(a.length).toBeGreaterThan(0);
    expect(run('generate', '--people', '30').stdout).toBe(a);
    expect(run('generate', '--people', '30', '--seed', '2').stdout).not.toBe(a);
  });

  it('honours --end', () => {
    const lines = run('generate', '--people', '20', '--days', '10', '--end', '2024-03-01T00:00:00Z')
      .stdout.trim()
      .split('\n');
    for (const line of lines) {
      const at = Date.parse(JSON.parse(line).occurredAt);
      expect(at).toBeLessThan(Date.parse('2024-03-01T00:00:00Z'));
      expect(at).toBeGreaterThanOrEqual(Date.parse('2024-02-20T00:00:00Z'));
    }
  });

  it('refuses bad arguments with a usage error (exit 2) naming the option', () => {
    const r = run('generate', '--people', 'many');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--people');
    expect(r.stdout).toBe('');
    const e = run('generate', '--people', '5', '--end', 'tomorrow');
    expect(e.status).toBe(2);
    expect(e.stderr).toContain('--end');
    expect(run('generate').status).toBe(2);
  });
});
