import { type ChildProcess, spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface, type Interface } from 'node:readline';

export interface BenchChild<T> {
  readonly child: ChildProcess;
  readonly info: T;
  /** The lines the child prints after its first. */
  readonly lines: Interface;
}

/** Starts a bench server script and waits for the JSON line it prints when listening. */
export async function startChild<T>(script: string, args: string[], cpu?: string): Promise<BenchChild<T>> {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" profiles the server under the bench's load.
  const node = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), script, ...args];
  const cmd = cpu !== undefined ? 'taskset' : process.execPath;
  const argv = cpu !== undefined ? ['-c', cpu, process.execPath, ...node] : node;
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) as T, lines };
}

/**
 * The CPU time (user + system, µs) the child has used so far: it answers SIGUSR2 with one line.
 * On a shared machine this, per request, is the figure the neighbours disturb least.
 */
export function cpuOf(c: BenchChild<unknown>): Promise<number> {
  return sample(c).then((s) => s.cpu);
}

/** CPU time so far and the event-loop delay (p99, max in ms) since the previous sample. */
export function sample(
  c: BenchChild<unknown>,
): Promise<{ cpu: number; loop: { p99ms: number; maxMs: number } }> {
  return new Promise((resolve) => {
    c.lines.once('line', (l) => resolve(JSON.parse(l)));
    c.child.kill('SIGUSR2');
  });
}

/** In a bench server: answer SIGUSR2 with this process's CPU time (see `cpuOf`). */
export function reportCpuOnSignal(): void {
  // Event-loop delay since the previous signal: tells a server that blocks (a long commit, a WAL
  // checkpoint, a GC pause) from one that waits for the CPU the neighbours hold.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  process.on('SIGUSR2', () => {
    const u = process.cpuUsage();
    const loop = { p99ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    delay.reset();
    process.stdout.write(`${JSON.stringify({ cpu: u.user + u.system, loop })}\n`);
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
