import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// QA loaded two versions effective from the same instant (a corrected file reloaded): the first was
// listed "never in force: v3, loaded later, is in force from an earlier date", a date that was
// the same one.
describe('credence program list: a version overtaken by one of the same date (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('says the later-loaded version is in force from the same date', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const text = readFileSync(MARKETPLACE, 'utf8');
    for (const [name, body] of [
      [
        'first.yaml',
        text.replace(/^program: marketplace$/m, 'program: marketplace\neffectiveFrom: 2026-06-01'),
      ],
      [
        'fixed.yaml',
        text.replace(
          /^program: marketplace$/m,
          'program: marketplace\neffectiveFrom: 2026-06-01T08:00:00+08:00',
        ),
      ],
    ] as const) {
      writeFileSync(join(w.dir, name), body);
      ok(w.run(['program', 'load', join(w.dir, name)]));
    }
    const list = ok(w.run(['program', 'list'])).stdout;
    expect(list).toMatch(
      /^marketplace v2\b.*superseded, never in force: v3, loaded later, is in force from the same date/m,
    );
    expect(list).not.toContain('from an earlier date');
  });
});
