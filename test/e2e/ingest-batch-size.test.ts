import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// --batch-size is the unit of a transaction: what a crash loses and what memory holds. A value
// that is not a whole number of lines was taken silently (0 and "abc" as 5000, -1 as 1, 1.5 as
// batches of two lines, the file's lines counted out in a batch of their own that never filled).
describe('credence ingest --batch-size', () => {
  let w: World | undefined;
  afterEach(() => w?.dispose());

  it('refuses what is not a whole number of lines, before ingesting anything', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        id: 'b1',
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: { national_id: '11010519861015500X' },
        data: { amount: 20 },
      })}\n`,
    );
    for (const n of ['0', '-1', 'abc', '1.5', '']) {
      const r = w.run(['ingest', file, '--batch-size', n]);
      expect(r.code, n).toBe(2);
      expect(r.stderr).toBe(
        `error: --batch-size must be a whole number of 1 or more, got "${n}"\n  [CREDENCE_E_USAGE]\n`,
      );
    }
    expect(dumpDatabase(w.db).facts).toEqual([]);
    ok(w.run(['ingest', file, '--batch-size', '1']));
    expect(dumpDatabase(w.db).facts).toHaveLength(1);
  });
});
