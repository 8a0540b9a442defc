import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, type World } from './cli.js';

const fact = (id: string, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source: 'shop',
    type: 'purchase.completed',
    occurredAt: '2026-10-01T00:00:00Z',
    subject,
    data: { amount: 20, items: 1 },
  });

describe('a score asked by a resident ID whose check character is wrong (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused, naming the check character, instead of answering for whoever sent that spelling first', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'f.jsonl');
    // Two different people (other names, phones and accounts) sent with one mistyped ID
    // (110105194912310021: the check character of 11010519491231002 is X).
    writeFileSync(
      file,
      `${[
        fact('a1', { national_id: '110105194912310021', full_name: 'Wang Wei', account: 'shop:ww1' }),
        fact('b1', { national_id: '110105194912310021', full_name: 'Li Na', account: 'shop:ln2' }),
        fact('c1', { national_id: '11010519491231002X', full_name: 'Zhao Lei', account: 'shop:zl3' }),
      ].join('\n')}\n`,
    );
    ok(w.run(['ingest', file]));
    const r = w.run(['score', '110105194912310021', '--program', 'marketplace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /"110105194912310021" is not a valid resident ID \(its check character would be X, not 1\)/,
    );
    // A valid one is looked up as before.
    expect(w.run(['score', '11010519491231002x', '--program', 'marketplace']).code).toBe(0);
  });
});
