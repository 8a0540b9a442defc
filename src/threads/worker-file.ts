import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a worker script compiled beside the module at `moduleUrl`, or undefined when there
 * is none (the caller then does the work in its own thread). Run from the TypeScript sources
 * (tests), the build's copy in `dist/` is used, at the same place under it: workers cannot load
 * `.ts` files.
 *
 * @example
 * workerFileBeside(import.meta.url, 'sqlite-writer-worker.js') // '…/dist/store/sqlite/sqlite-writer-worker.js'
 */
export function workerFileBeside(moduleUrl: string, name: string): string | undefined {
  const base = moduleUrl.endsWith('.ts') ? moduleUrl.replace(/\/src\/(?!.*\/src\/)/, '/dist/') : moduleUrl;
  const path = fileURLToPath(new URL(name, base));
  return existsSync(path) ? path : undefined;
}
