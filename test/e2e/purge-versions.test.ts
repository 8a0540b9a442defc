import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, payment, type World } from './cli.js';

// Purge deletes by the rulebook version in force at --as-of, as scoring reads retention: a
// version loaded for later with a shorter period deletes nothing before it takes effect.

describe('credence purge with a rulebook version not yet in force (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w.dispose());

  it('keeps a fact the version in force retains, and deletes it once the shorter version is in force', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const DAY = 86_400_000;
    const now = Date.now();
    const iso = (t: number) => new Date(t).toISOString();
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${payment('p1', iso(now - 60 * DAY), { phone: '+8613800138000' }, 50)}\n`);
    expect(w.run(['ingest', file]).code).toBe(0);
    // v2: payments kept 30 days instead of three years, from 400 days on.
    const later = iso(now + 400 * DAY);
    const v2 = readFileSync(MARKETPLACE, 'utf8')
      .replace(
        'payment.completed: { category: payment, fields: { amount: number }, retain: P3Y }',
        'payment.completed: { category: payment, fields: { amount: number }, retain: P30D }',
      )
      .replace(/^program: marketplace$/m, `program: marketplace\neffectiveFrom: ${later}`);
    expect(v2).toContain('retain: P30D');
    const v2file = join(w.dir, 'v2.yaml');
    writeFileSync(v2file, v2);
    const load = w.run(['program', 'load', v2file]);
    expect(load.code, load.stderr).toBe(0);

    const today = w.json<{ facts: number }>(['purge']);
    expect(today.facts).toBe(0);
    const inForce = w.json<{ facts: number }>(['purge', '--as-of', iso(now + 401 * DAY), '--allow-future']);
    expect(inForce.facts).toBe(1);
  });
});
