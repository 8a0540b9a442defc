import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Subject } from '../../core/facts/fact.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { ExactResolver } from './exact-resolver.js';

// The stand-in resolver matches as the identity engine does: a phone in any spelling is one key,
// a passport is one only with its issuing country (CN and CHN alike), and a number sent without
// a country binds nobody (two countries may issue the same number).

const dir = mkdtempSync(join(tmpdir(), 'credence-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** The subject each record resolves to, one batch in order. */
async function resolveAll(subjects: Subject[]): Promise<string[]> {
  const store = await openSqliteStore(join(dir, `t${n++}.db`), { create: true });
  try {
    await store.migrate();
    const r = new ExactResolver(store);
    await r.prepare(subjects);
    return subjects.map((s) => {
      const res = r.resolve(s);
      if (!res.ok) throw new Error(res.reason);
      return res.subject;
    });
  } finally {
    await store.close();
  }
}

describe('ExactResolver keys', () => {
  it('a phone in two spellings is one person', async () => {
    const [a, b] = await resolveAll([{ phone: '+8618908930091' }, { phone: '0086 189-0893-0091' }]);
    expect(b).toBe(a);
  });

  it('a passport is one person per country; a number without one binds nobody', async () => {
    const [cn, chn, kor, bare1, bare2] = await resolveAll([
      { passport_number: 'E12345678', passport_country: 'CN' },
      { passport_number: 'E12345678', passport_country: 'CHN' },
      { passport_number: 'E12345678', passport_country: 'KOR' },
      { passport_number: 'E12345678' },
      { passport_number: 'E12345678' },
    ]);
    expect(chn).toBe(cn);
    expect(kor).not.toBe(cn);
    expect(new Set([cn, kor, bare1, bare2]).size).toBe(4);
  });
});
