import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts a bench server script and waits for the JSON line it prints when listening. */
export async function startChild<T>(
  script: string,
  args: string[],
  cpu?: string,
): Promise<{ child: ChildProcess; info: T }> {
  const cmd = cpu !== undefined ? 'taskset' : process.execPath;
  const argv = cpu !== undefined ? ['-c', cpu, process.execPath, script, ...args] : [script, ...args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) as T };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
