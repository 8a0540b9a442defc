import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// better-sqlite3 loads its compiled addon through the `bindings` package, which finds the
// calling file from a stack trace, walks up to its package and tries a list of build folders
// with `require` (each miss a thrown error): about 2 ms of a `credence score` that takes ~120.
// The addon is found here instead, and handed to the Database constructor (`nativeBinding`).
// It is also what lets `credence score` and `credence explain` carry better-sqlite3's JavaScript
// inside their bundles (scripts/bundle-commands.mjs): there, `bindings` would search from the
// bundle's folder, not the package's, and find nothing.

const ADDON = 'better_sqlite3.node';
let binding: string | undefined;

/**
 * The path of better-sqlite3's compiled addon, for `new Database(path, { nativeBinding })`: the
 * first of `build/`, `build/Debug/`, `build/Release/` in the package that holds it (the order
 * `bindings` tries them; `npm ci` puts the prebuilt addon in `build/Release/`), else where
 * `bindings` finds it from the package's folder (its other places). Found once.
 *
 * @example
 * const db = new Database('./credence.db', { nativeBinding: sqliteNativeBinding() });
 */
export function sqliteNativeBinding(): string {
  if (binding === undefined) {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('better-sqlite3/package.json');
    const root = dirname(packageJson);
    const found = ['build', join('build', 'Debug'), join('build', 'Release')]
      .map((dir) => join(root, dir, ADDON))
      .find((file) => existsSync(file));
    binding =
      found ??
      (createRequire(packageJson)('bindings') as (o: object) => string)({
        bindings: ADDON,
        module_root: root,
        path: true,
      });
  }
  return binding;
}
