import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initDatabase } from '../../open-app.js';
import { loadMapping, type Mapping } from './load-mapping.js';
import { type MapFileOptions, type MappedPart, mapFile } from './map-file.js';
import { mapFileAhead } from './map-file-thread.js';
import { courtListDelta, courtListSnapshot } from './samples/index.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-map-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const court = (await loadMapping(
  readFileSync(new URL('../../../examples/sources/court.yaml', import.meta.url), 'utf8'),
  'court.yaml',
)) as Mapping;
const dbPath = join(dir, 'credence.db');
await initDatabase(dbPath);

// Big enough (over 256 KB) to be mapped on the worker thread.
const sample = { rows: 1500, people: 3000, seed: 7 };
const snapshot = join(dir, 'court.csv');
writeFileSync(snapshot, `${[...courtListSnapshot(sample, 1)].join('\n')}\n`);
const delta = join(dir, 'delta.csv');
const deltaRows = [...courtListDelta({ rows: 20_000, people: 40_000, seed: 7 })].slice(0, 1500);
writeFileSync(delta, `${deltaRows.join('\n')}\n`);

async function all(parts: AsyncIterable<MappedPart>): Promise<MappedPart[]> {
  const out: MappedPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

describe('mapFileAhead (the file mapped on a worker thread)', () => {
  it('gives the parts mapFile gives, in the same order, for a snapshot and a delta', async () => {
    for (const f of [snapshot, delta]) expect(statSync(f).size).toBeGreaterThan(256 * 1024);
    for (const [file, mode] of [
      [snapshot, 'snapshot'],
      [delta, 'delta'],
    ] as const) {
      const o: MapFileOptions = { mapping: court, file, source: 'court', mode, dbPath };
      const here = await all(mapFile(o));
      expect(here.length).toBeGreaterThan(1);
      expect(await all(mapFileAhead(o))).toEqual(here);
    }
  });

  it('reports the mapping thread’s refusal of the file as this thread would', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `name,sex\n${'x,y\n'.repeat(80_000)}`);
    const o: MapFileOptions = { mapping: court, file: bad, source: 'court', mode: 'delta', dbPath };
    const here = await all(mapFile(o)).catch((e: unknown) => e);
    const there = await all(mapFileAhead(o)).catch((e: unknown) => e);
    expect(there).toMatchObject({ code: 'CREDENCE_E_ROW_INVALID', message: (here as Error).message });
  });

  it('stops the mapping thread when the caller gives up early', async () => {
    const parts = mapFileAhead({ mapping: court, file: snapshot, source: 'court', mode: 'snapshot', dbPath });
    for await (const p of parts) if ('lines' in p) break;
    await parts.stop();
  });
});

describe('mapFile on a snapshot that is not the source’s file', () => {
  // The snapshot's date was looked for before the header was checked, so a file with another
  // delimiter or other columns was refused as "no row dates the snapshot; give --as-of".
  it('refuses it for its header, naming the missing columns, and an empty file as empty', async () => {
    const semi = join(dir, 'semi.csv');
    writeFileSync(semi, 'name;sex;court;case_code\n王丽;女;荣成市人民法院;(2025)鲁1082执100号\n');
    const o: MapFileOptions = { mapping: court, file: semi, source: 'court', mode: 'snapshot', dbPath };
    await expect(all(mapFile(o))).rejects.toMatchObject({
      code: 'CREDENCE_E_ROW_INVALID',
      message: expect.stringMatching(/semi\.csv: the header lacks columns .*court/),
    });
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(all(mapFile({ ...o, file: empty }))).rejects.toMatchObject({
      code: 'CREDENCE_E_ROW_INVALID',
      message: expect.stringMatching(/empty\.csv is empty/),
    });
  });
});
