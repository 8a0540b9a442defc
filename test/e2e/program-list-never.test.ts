import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };

const withFrom = (from: string): string =>
  readFileSync(MARKETPLACE, 'utf8').replace(
    /^program: marketplace$/m,
    `program: marketplace\neffectiveFrom: ${from}`,
  );

// Scoring uses the highest version whose effectiveFrom has come. A version loaded for June and then
// overtaken by a later-loaded version effective from March is in force at no as-of at all; `credence
// program list` said of it "superseded: scores earlier as-ofs only", so an operator replaying June
// took it for the rules applied then. (A version scheduled for 2099 overtaken by one for 2098 said
// the same.)
describe('credence program list: a version that is never in force (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('says so, naming the version that overtook it; a version that did score keeps its words', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const versions: ReadonlyArray<readonly [string, string]> = [
      ['june.yaml', '2026-06-01T00:00:00Z'],
      ['march.yaml', '2026-03-01T00:00:00Z'],
      ['y2099.yaml', '2099-01-01T00:00:00Z'],
      ['y2098.yaml', '2098-01-01T00:00:00Z'],
    ];
    for (const [name, from] of versions) {
      writeFileSync(join(w.dir, name), withFrom(from));
      ok(w.run(['program', 'load', join(w.dir, name)]));
    }
    // v2 (June) never scores: v3 (March) is higher and in force from before June.
    const text = ok(w.run(['program', 'list'])).stdout;
    expect(text).toMatch(/^marketplace v1\b.*superseded: scores earlier as-ofs only/m);
    expect(text).toMatch(
      /^marketplace v2\b.*superseded, never in force: v3, loaded later, is in force from an earlier date/m,
    );
    expect(text).toMatch(/^marketplace v3\b.*in force now/m);
    expect(text).toMatch(
      /^marketplace v4\b.*superseded, never in force: v5, loaded later, is in force from an earlier date/m,
    );
    expect(text).toMatch(/^marketplace v5\b.*scheduled/m);
  });

  // Without a version for every as-of, an as-of before each version's date went to the lowest
  // version number: the June version, "never in force", scored January, and the list said of it
  // "superseded: scores earlier as-ofs only".
  it('the first version loaded, overtaken, scores no as-of before every date either', () => {
    w = makeWorld();
    for (const [name, from] of [
      ['june.yaml', '2026-06-01T00:00:00Z'],
      ['march.yaml', '2026-03-01T00:00:00Z'],
    ] as const) {
      writeFileSync(join(w.dir, name), withFrom(from));
      ok(w.run(['program', 'load', join(w.dir, name)]));
    }
    writeFileSync(join(w.dir, 'facts.jsonl'), `${payment('p1', '2026-01-05T10:00:00Z', WEI, 50)}\n`);
    ok(w.run(['ingest', join(w.dir, 'facts.jsonl')]));
    const text = ok(w.run(['program', 'list'])).stdout;
    expect(text).toMatch(
      /^marketplace v1\b.*superseded, never in force: v2, loaded later, is in force from an earlier date/m,
    );
    const asOf = (at: string) =>
      w.json<{ version: number }>(['score', 'P0000001', '--program', 'marketplace', '--as-of', at]).version;
    expect(asOf('2026-01-10T00:00:00Z')).toBe(2);
    expect(asOf('2026-07-01T00:00:00Z')).toBe(2);
  });
});
