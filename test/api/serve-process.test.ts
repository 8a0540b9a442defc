import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, spawnCli, type World } from '../e2e/cli.js';

// The same as foreign-writes.test.ts with both sides real processes: `credence serve` listening on
// a port, the CLI writing to its database, the API asked over HTTP. Before, the server scored under
// the rulebook version it had read at start until it was restarted.
const DAY = 86_400_000;

let w: World;
let serve: ChildProcess;
let url = '';
let rp = '';
let purpose = '';
let subject = '';

beforeAll(async () => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const file = join(w.dir, 'facts.jsonl');
  const now = Date.now();
  writeFileSync(
    file,
    [1, 2, 3]
      .map((k) => payment(`p${k}`, new Date(now - k * 10 * DAY).toISOString(), { account: 'pay:mei' }))
      .join('\n'),
  );
  ok(w.run(['ingest', file]));
  serve = spawnCli(['serve', '--db', w.db, '--port', '0', '--demo-keys'], w.dir);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    serve.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Try:')) resolve();
    });
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  url = /listening on (\S+)/.exec(out)?.[1] as string;
  const rpLine = /relying party:\s+(\S+)\s+\(purposes: ([^,)]+)/.exec(out);
  rp = rpLine?.[1] as string;
  purpose = rpLine?.[2] as string;
  subject = /person (\S+):/.exec(out)?.[1] as string;
  expect([url, rp, purpose, subject].every(Boolean), out).toBe(true);
}, 60_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  w?.dispose();
});

const score = async (): Promise<Record<string, unknown>> => {
  const r = await fetch(`${url}/v1/persons/${subject}/score?program=marketplace&purpose=${purpose}`, {
    headers: { authorization: `Bearer ${rp}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
};

describe('credence serve (a process) and the CLI (another) on one file', () => {
  it('scores under the version `credence program load` adds, then not at all after `credence consent --opt-out`', async () => {
    const first = await score();
    expect(first).toMatchObject({ status: 'scored', version: 1 });
    const v2 = join(w.dir, 'marketplace-v2.yaml');
    writeFileSync(v2, readFileSync(MARKETPLACE, 'utf8').replace('base: 550', 'base: 560'));
    ok(w.run(['program', 'load', v2]));
    const second = await score();
    expect(second).toMatchObject({ status: 'scored', version: 2 });
    expect(second.score).toBe((first.score as number) + 10);
    ok(w.run(['consent', subject, '--program', 'marketplace', '--opt-out']));
    const third = await score();
    expect(third).toMatchObject({ status: 'not-scored' });
    expect(third.score).toBeUndefined();
  });
});
