import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Where each bench leaves its figures as JSON (git-ignored), for run.ts to summarise. */
export const OUT_DIR = join('bench', 'out', 'engine');

/** The machine, as BENCHMARKS.md states it. */
export function machine(): string {
  const c = cpus();
  const pinned = process.env.CREDENCE_BENCH_PINNED;
  return (
    `${c[0]?.model.trim() ?? 'unknown CPU'}, ${c.length} cores` +
    `${pinned ? ` (this process pinned to core ${pinned})` : ''}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}-${process.arch}`
  );
}

/** The exact command line that produced this process's figures. */
export function command(): string {
  const pinned = process.env.CREDENCE_BENCH_PINNED;
  const args = [...process.execArgv, ...process.argv.slice(1).map((a) => a.replace(`${process.cwd()}/`, ''))];
  return `${pinned ? `taskset -c ${pinned} ` : ''}node ${args.join(' ')}`;
}

/** The commit measured, and whether the engine's sources differ from it. */
export function revision(): string {
  // run.ts fixes it when it compiles, so a commit landing mid-run does not relabel the figures.
  if (process.env.CREDENCE_BENCH_REVISION) return process.env.CREDENCE_BENCH_REVISION;
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/core'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes in src/core` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Prints a bench's title, command, machine and revision. */
export function header(title: string): void {
  console.log(`\n## ${title}`);
  console.log(`command: ${command()}`);
  console.log(`machine: ${machine()}`);
  console.log(`revision: ${revision()}`);
}

/** Writes a bench's figures where run.ts reads them. */
export function saveResult(name: string, result: unknown): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

let gcFn: (() => void) | undefined;
/** A full GC between measured phases; works without --expose-gc. */
export function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

export function fmtRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}

/** Integer flags such as `--facts 1000000` from argv, with defaults. */
export function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}
