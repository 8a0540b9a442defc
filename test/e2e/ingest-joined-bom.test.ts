import { afterAll, describe, expect, it } from 'vitest';
import { countFacts, MARKETPLACE, makeWorld, payment } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

const WEI = { phone: '+8613800138000' };

describe('files joined with cat, each starting with a UTF-8 byte order mark (real binary)', () => {
  // `cat a.jsonl b.jsonl | credence ingest -`: a BOM was dropped before the first line only, so
  // b's first line was refused as "Unexpected token '\uFEFF'", a character the message cannot show.
  it('reads every line, the BOM of the second file dropped as the first one is', () => {
    const bom = '\uFEFF';
    const a = `${bom}${payment('p1', '2026-03-01T10:00:00Z', WEI)}\r\n${payment('p2', '2026-03-02T10:00:00Z', WEI)}\r\n`;
    const b = `${bom}${payment('p3', '2026-03-03T10:00:00Z', WEI)}\r\n${payment('p4', '2026-03-04T10:00:00Z', WEI)}\r\n`;
    const r = w.run(['ingest', '-', '--json'], { input: a + b });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 4, accepted: 4, rejected: 0 });
    expect(countFacts(w.db)).toBe(4);
  });
});
