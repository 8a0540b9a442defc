import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateJsonl } from './index.js';

// The real binary over the compiled dist/ (built by the global test setup).
const BIN = fileURLToPath(new URL('../../bin/credence.js', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('credence generate', () => {
  const args = [
    'generate',
    '--people',
    '40',
    '--seed',
    '12',
    '--days',
    '200',
    '--end',
    '2026-11-01T00:00:00Z',
  ];
  const first = run(...args);

  it('writes the library output, byte for byte, as JSON Lines on stdout', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      [...generateJsonl({ people: 40, seed: 12, days: 200, end: '2026-11-01T00:00:00Z' })].join(''),
    );
  });

  it('is deterministic across runs, and the seed changes the population', () => {
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(run(...args).stdout).toBe(first.stdout);
    expect(
      run('generate', '--people', '40', '--days', '200', '--end', '2026-11-01T00:00:00Z').stdout,
    ).not.toBe(first.stdout);
  });

  it('writes the ground truth with --truth, leaving stdout unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credence-generate-'));
    try {
      const file = join(dir, 'truth.csv');
      const r = run(...args, '--truth', file);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(first.stdout);
      const rows = readFileSync(file, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('source,id,person,document');
      expect(rows.length - 1).toBe(first.stdout.trim().split('\n').length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours --end', () => {
    const lines = run('generate', '--people', '20', '--days', '10', '--end', '2024-03-01T00:00:00Z')
      .stdout.trim()
      .split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const at = Date.parse(JSON.parse(line).occurredAt);
      expect(at).toBeLessThan(Date.parse('2024-03-01T00:00:00Z'));
      expect(at).toBeGreaterThanOrEqual(Date.parse('2024-02-20T00:00:00Z'));
    }
  });

  it('ends at today, 00:00 UTC, without --end: the year up to the day it runs', () => {
    const day = 86_400_000;
    const before = Math.floor(Date.now() / day) * day;
    const r = run('generate', '--people', '30', '--seed', '5');
    const after = Math.floor(Date.now() / day) * day;
    expect(r.status).toBe(0);
    const times = r.stdout
      .trim()
      .split('\n')
      .map((l) => Date.parse(JSON.parse(l).occurredAt));
    expect(times.length).toBeGreaterThan(100);
    // The end is exclusive, and a run across midnight may take either day.
    expect(Math.max(...times)).toBeLessThan(after);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(before - 365 * day);
    // Not the library's fixed DEFAULT_END: the newest facts are within the last month.
    expect(Math.max(...times)).toBeGreaterThan(before - 30 * day);
  });

  it('refuses bad arguments with a usage error (exit 2) naming the option', () => {
    const r = run('generate', '--people', 'many');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--people');
    expect(r.stdout).toBe('');
    const e = run('generate', '--people', '5', '--end', 'tomorrow');
    expect(e.status).toBe(2);
    expect(e.stderr).toContain('--end');
  });
});
