// Bundles the read commands that people time (`credence score`, `credence explain`) into one
// file each, in place of tsc's output (dist/cli/commands/NAME.js), after `tsc` has run.
//
// Why: Node 20 has no compile cache for ES modules, and resolving, reading and linking the ~60
// module files behind `credence score` took about a quarter of the command's time. One file
// per command keeps `main.js` loading each command lazily, as before.
//
// What stays outside a command's bundle: commander (the entry point's copy is the one in use) and
// Node's own modules. better-sqlite3's JavaScript is inside (its dozen CommonJS files, found and
// linked one by one, cost ~5 ms); its native addon is not: every `new Database` in the store
// passes `nativeBinding` (src/store/sqlite/native-binding.ts), since the `bindings` package would
// look for the addon beside the bundle and fail. The entry point, dist/cli/main.js, is
// bundled with commander inside it and the command modules outside it. A bundled command may not locate files relative to itself
// (import.meta.url) or start worker threads: its code would look next to the bundle, not next to
// the module it came from. The build fails if either shows up (the bundler's own
// `createRequire(import.meta.url)`, which finds packages from node_modules as before, is fine).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '..');
const COMMANDS = ['score', 'explain'];
const EXTERNAL = new Set(['commander']);

/**
 * Keeps every dynamic `import()` of a project module what tsc made it: a separate file of dist/,
 * loaded only when reached, its specifier rewritten for the bundle's folder. The bundler would
 * otherwise inline it and all behind it: the YAML parser behind the store's `rulebookSpecJson`,
 * which only a command that writes a rulebook or migrates calls, was half of `credence score`'s
 * bundle, and parsing it cost ~4 ms of every call. (Code from both sides of such an import may
 * exist twice in one process, as between the entry point and a command; `isCredenceError` is
 * branded for that.)
 */
function keepDynamicImports(file) {
  return {
    name: 'keep-dynamic-imports',
    resolveId(source, importer, extra) {
      if (extra.kind !== 'dynamic-import' || !importer || !source.startsWith('.')) return null;
      const target = relative(dirname(file), resolve(dirname(importer), source))
        .split(sep)
        .join('/');
      return { id: target.startsWith('.') ? target : `./${target}`, external: true };
    },
  };
}

/**
 * commander requires node:child_process at load, for executable subcommands (`program
 * .command('x', 'desc')` running `prog-x`), which Credence does not use; loading it brings net,
 * dgram and the stream modules, about 2 ms of every command. In the entry point's bundle it is
 * loaded on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  replaces: (source, importer) =>
    source === 'node:child_process' && !!importer?.includes('/node_modules/commander/'),
  resolveId(source, importer) {
    return lazyChildProcess.replaces(source, importer) ? '\0lazy-child-process' : null;
  },
  load(id) {
    return id === '\0lazy-child-process'
      ? "module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });"
      : null;
  },
};

/** Bundles `file` in place; `external` ids stay imports (resolved as before, from the same place). */
async function bundle(file, external, plugins = []) {
  await build({
    input: file,
    platform: 'node',
    external,
    plugins: [keepDynamicImports(file), ...plugins],
    logLevel: 'warn',
    output: { file, format: 'esm', codeSplitting: false, sourcemap: false },
  });
  rmSync(`${file}.map`, { force: true });
  const text = readFileSync(file, 'utf8').replaceAll('createRequire(import.meta.url)', '');
  for (const banned of ['import.meta.url', 'import.meta.dirname', 'new Worker(']) {
    if (text.includes(banned)) {
      throw new Error(
        `scripts/bundle-commands.mjs: ${file} now uses ${banned}; a bundled file cannot (see the comment at the top)`,
      );
    }
  }
}

for (const name of COMMANDS) {
  await bundle(
    join(ROOT, 'dist/cli/commands', `${name}.js`),
    (id) => id.startsWith('node:') || EXTERNAL.has(id),
  );
}
// The entry point with commander inside it (its five CommonJS files cost ~10 ms to load); every
// command module stays its own file, loaded lazily as before. Commands only use the program
// object they are handed, never commander's exports, so one copy of it suffices.
await bundle(
  join(ROOT, 'dist/cli/main.js'),
  (id, importer) =>
    (id.startsWith('node:') && !lazyChildProcess.replaces(id, importer)) ||
    id === 'better-sqlite3' ||
    /(^|\/)commands\//.test(id),
  [lazyChildProcess],
);
