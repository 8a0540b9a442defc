// Bundles the read commands that people time (`credence score`, `credence explain`) into one
// file each, in place of tsc's output (dist/cli/commands/NAME.js), after `tsc` has run.
//
// Why: Node 20 has no compile cache for ES modules, and resolving, reading and linking the ~60
// module files behind `credence score` took about a quarter of the command's time. One file
// per command keeps `main.js` loading each command lazily, as before.
//
// What stays outside the bundle: packages with native code or shared state (better-sqlite3,
// commander) and Node's own modules. A bundled command may not locate files relative to itself
// (import.meta.url) or start worker threads: its code would look next to the bundle, not next to
// the module it came from. The build fails if either shows up (the bundler's own
// `createRequire(import.meta.url)`, which finds packages from node_modules as before, is fine).
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '..');
const COMMANDS = ['score', 'explain'];
const EXTERNAL = new Set(['better-sqlite3', 'commander']);

for (const name of COMMANDS) {
  const file = join(ROOT, 'dist/cli/commands', `${name}.js`);
  await build({
    input: file,
    platform: 'node',
    external: (id) => id.startsWith('node:') || EXTERNAL.has(id),
    logLevel: 'warn',
    output: { file, format: 'esm', codeSplitting: false, sourcemap: false },
  });
  rmSync(`${file}.map`, { force: true });
  const text = readFileSync(file, 'utf8').replaceAll('createRequire(import.meta.url)', '');
  for (const banned of ['import.meta.url', 'import.meta.dirname', 'new Worker(']) {
    if (text.includes(banned)) {
      throw new Error(
        `scripts/bundle-commands.mjs: dist/cli/commands/${name}.js now uses ${banned}; a bundled command cannot (see the comment at the top)`,
      );
    }
  }
}
