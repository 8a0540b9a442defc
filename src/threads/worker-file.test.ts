import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerFileBeside } from './worker-file.js';

const root = mkdtempSync(join(tmpdir(), 'credence-worker-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'src/store'), { recursive: true });
mkdirSync(join(root, 'dist/store'), { recursive: true });
writeFileSync(join(root, 'dist/store/w.js'), '');

describe('workerFileBeside', () => {
  it('gives a compiled module its sibling, and a TypeScript source the built copy under dist/', () => {
    const built = join(root, 'dist/store/w.js');
    expect(workerFileBeside(pathToFileURL(join(root, 'dist/store/host.js')).href, 'w.js')).toBe(built);
    expect(workerFileBeside(pathToFileURL(join(root, 'src/store/host.ts')).href, 'w.js')).toBe(built);
  });

  it('is undefined when the worker was not built', () => {
    expect(
      workerFileBeside(pathToFileURL(join(root, 'src/store/host.ts')).href, 'missing.js'),
    ).toBeUndefined();
  });
});
