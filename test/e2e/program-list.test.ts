import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/index.js';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// `credence program list` says which version is in force now (the one `credence score` without
// --as-of uses) and which are scheduled, and says it as the operator's GET /v1/programs does.

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
const withFrom = (from: string): string =>
  readFileSync(MARKETPLACE, 'utf8').replace(
    /^program: marketplace$/m,
    `program: marketplace\neffectiveFrom: ${from}`,
  );

interface Row {
  program: string;
  version: number;
  status: string;
}

describe('credence program list: in force now, scheduled, superseded (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // v2 from a date already past (in force now, v1 superseded), v3 only from 2099 (scheduled).
    writeFileSync(join(w.dir, 'v2.yaml'), withFrom('2026-01-01T00:00:00Z'));
    writeFileSync(join(w.dir, 'v3.yaml'), withFrom('2099-01-01T00:00:00Z'));
    ok(w.run(['program', 'load', join(w.dir, 'v2.yaml')]));
    ok(w.run(['program', 'load', join(w.dir, 'v3.yaml')]));
    writeFileSync(join(w.dir, 'f.jsonl'), `${payment('p1', '2026-02-01T10:00:00Z', WEI)}\n`);
    ok(w.run(['ingest', join(w.dir, 'f.jsonl')]));
  });
  afterAll(() => w.dispose());

  it('names the version a score asked now uses as in force, the later one as scheduled', () => {
    const rows = w.json<{ programs: Row[] }>(['program', 'list']).programs;
    const scored = w.json<{ version: number }>(['score', 'P0000001', '--program', 'marketplace']);
    const inForce = rows.filter((r) => r.status === 'in-force');
    expect(inForce.map((r) => r.version)).toEqual([scored.version]);
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'in-force'],
      [3, 'scheduled'],
    ]);
    const text = ok(w.run(['program', 'list'])).stdout;
    expect(text).toMatch(/^marketplace v1\b.*superseded/m);
    expect(text).toMatch(/^marketplace v2\b.*in force now/m);
    expect(text).toMatch(/^marketplace v3\b.*scheduled: in force from 2099-01-01T00:00:00\.000Z/m);
  });

  it('says what GET /v1/programs says', async () => {
    const rows = w.json<{ programs: Row[] }>(['program', 'list']).programs;
    const api = await openApi(w.db, { clock: () => Date.now() });
    try {
      const key = (await api.ctx.auth.issue({ role: 'operator', name: 'Ops' })).token;
      const r = await api.server.inject({
        method: 'GET',
        url: '/v1/programs',
        headers: { authorization: `Bearer ${key}` },
      });
      const listed = JSON.parse(r.body).programs as {
        program: string;
        inForce: number;
        versions: { version: number; status: string }[];
      }[];
      expect(
        listed.flatMap((p) =>
          p.versions.map((v) => ({ program: p.program, version: v.version, status: v.status })),
        ),
      ).toEqual(rows.map((r) => ({ program: r.program, version: r.version, status: r.status })));
      expect(listed[0]?.inForce).toBe(rows.find((r) => r.status === 'in-force')?.version);
    } finally {
      await api.close();
    }
  });
});
