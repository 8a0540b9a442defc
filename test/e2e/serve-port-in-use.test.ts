import { createServer, type Server } from 'node:net';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// `credence serve --demo-keys` on a port already in use stored four demo keys (never shown, so no
// one could use or knowingly revoke them: one set per failed start) and then died with Node's own
// "listen EADDRINUSE" and no code.
describe('credence serve on a port it cannot listen on (real binary)', () => {
  let w: World;
  let taken: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (taken ? taken.close(() => resolve()) : resolve()));
    w?.dispose();
  });

  const keyCount = (db: string): number => {
    const d = new Database(db, { readonly: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
    } catch {
      return 0; // the table is made by the server's first start
    } finally {
      d.close();
    }
  };

  it('is a usage error naming --port and the address, and issues no key', async () => {
    w = makeWorld();
    const server = createServer();
    taken = server;
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const before = keyCount(w.db);
    const r = w.run(['serve', '--port', String(port), '--demo-keys']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`127.0.0.1:${port} is in use`);
    expect(r.stderr).toContain('--port');
    expect(r.stderr).toContain('CREDENCE_E_USAGE');
    expect(r.stdout).not.toContain('cred_');
    expect(keyCount(w.db)).toBe(before);
  });
});
