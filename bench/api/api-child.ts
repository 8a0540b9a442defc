/**
 * The API server for a bench, in its own process: opens the database, issues keys with a rate
 * limit far above the load, listens, and prints `{ url, rp, furnishers }` as one JSON line.
 * Usage: node dist-bench/bench/api/api-child.js DB PORT
 */
import { openApi } from '../../src/api/index.js';
import { SOURCES } from '../../src/generate/index.js';
import { reportCpuOnSignal } from './child.js';

const [db, port] = process.argv.slice(2) as [string, string];
const api = await openApi(db);
const rate = 10_000_000;
const rp = await api.ctx.auth.issue({ role: 'relying-party', name: 'bench', purposes: ['tenancy'], rate });
const furnishers: Record<string, string> = {};
for (const s of SOURCES) {
  // Enrolment desks send people's opt-ins and opt-outs: they need consent:write.
  const scopes = s.endsWith('-enrolment')
    ? (['facts:write', 'facts:read', 'consent:write'] as const)
    : undefined;
  furnishers[s] = (
    await api.ctx.auth.issue({
      role: 'furnisher',
      name: `bench ${s}`,
      source: s,
      rate,
      ...(scopes ? { scopes: [...scopes] } : {}),
    })
  ).token;
}
const url = await api.server.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, rp: rp.token, furnishers })}\n`);
reportCpuOnSignal();
process.on('SIGTERM', () => {
  void api.close().then(() => process.exit(0));
});
