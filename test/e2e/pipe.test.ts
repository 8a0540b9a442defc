import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, MARKETPLACE, makeWorld, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X' };

describe('output into a pipe closed early (credence … | head)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // Enough facts that the export is far larger than a pipe's buffer.
    const facts = Array.from({ length: 2000 }, (_, i) =>
      payment(`p${i}`, new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(), WEI, 20),
    );
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, `${facts.join('\n')}\n`);
    const r = w.run(['ingest', file]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => w.dispose());

  it('ends quietly, without an unhandled EPIPE and its stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'export', WEI.national_id, '--json', '--db', w.db], {
      cwd: w.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Read one chunk, then close our end, as `head -c 1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
