import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, makeWorld, ok, ROOT, type World } from './cli.js';

// Start-up is part of every command's time (the 10 k-row delta's target is one second, process
// included), so each command loads what it uses and no more. TypeBox is 683 module files, a
// quarter of a second: a valid rulebook, mapping or fact never needs it (it words the problems
// of an invalid one). It came back once through a barrel import of the rulebook module.
const REGISTER = pathToFileURL(join(ROOT, 'test/e2e/module-log/register.mjs')).href;

function packagesLoaded(w: World, args: readonly string[], input?: string): Set<string> {
  const log = join(w.dir, `modules-${args[0]}.log`);
  writeFileSync(log, '');
  ok(w.run(args, { input, env: { NODE_OPTIONS: `--import ${REGISTER}`, CREDENCE_MODULE_LOG: log } }));
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  expect(
    urls.some((u) => u.includes('/dist/cli/')),
    'the log records the command itself',
  ).toBe(true);
  const packages = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) packages.add(m[1] as string);
  }
  return packages;
}

describe('what each command loads (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('import, ingest and score load no schema validator for valid input', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const court = join(ROOT, 'examples/sources/samples/court-2026-06.csv');
    const imported = packagesLoaded(w, ['import', 'court', court]);
    expect(imported.has('better-sqlite3'), 'the log sees packages').toBe(true);
    expect([...imported]).not.toContain('typebox');
    const fact = JSON.stringify({
      id: 'f1',
      source: 'desk',
      type: 'court.blacklist_listed',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { name: '张三', national_id: '11010519491231002X' },
      data: { court: 'X', case: '(2026)X1', ground: 'refused' },
    });
    const ingested = packagesLoaded(w, ['ingest', '-'], `${fact}\n`);
    expect([...ingested]).not.toContain('typebox');
    const scored = packagesLoaded(w, ['score', '11010519491231002X', '--program', 'city-civic']);
    for (const heavy of ['typebox', 'yaml', 'libphonenumber-js', 'pinyin-pro', 'mrz', 'fastify'])
      expect([...scored], heavy).not.toContain(heavy);
  });
});
