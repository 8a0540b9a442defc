import type { Command } from 'commander';
import { parseTrustProxy, serveApi } from '../../api/index.js';
import { CredenceError } from '../../core/errors/index.js';
import { dbPath, withDb } from '../options.js';

/** Prints how to reach the server and, with demo keys, one key per role. */
export function printServing(url: string, keys: Awaited<ReturnType<typeof serveApi>>['keys']): void {
  const out: string[] = [
    `Credence API listening on ${url}`,
    `  people:  ${url}/me  (a person's score, its points and who looked, with their person key)`,
    `  docs:    ${url}/docs`,
    `  openapi: ${url}/openapi.json`,
  ];
  if (keys) {
    out.push('Demo keys (shown once):');
    out.push(`  operator:       ${keys.operator}`);
    out.push(`  furnisher (${keys.furnisher.source}): ${keys.furnisher.token}`);
    out.push(
      `  relying party:  ${keys.relyingParty.token}  (purposes: ${keys.relyingParty.purposes.join(', ')})`,
    );
    if (keys.person)
      out.push(
        `  person ${keys.person.subject}: ${keys.person.token}  (paste it into ${url}/me to see their file as they do)`,
      );
    out.push('Try:');
    if (keys.person) {
      out.push(
        `  curl -H 'Authorization: Bearer ${keys.relyingParty.token}' '${url}/v1/persons/${keys.person.subject}/score?program=${keys.program ?? '<program>'}&purpose=tenancy'`,
      );
      out.push(`  curl -H 'Authorization: Bearer ${keys.person.token}' ${url}/v1/me/inquiries`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

interface ServeFlags {
  db?: string;
  port: string;
  host: string;
  demoKeys?: boolean;
  log?: boolean;
  trustProxy?: string;
}

/**
 * `credence serve [--db PATH] [--port N] [--host H] [--demo-keys] [--trust-proxy LIST|HOPS]`: the
 * HTTP API over the database, until Ctrl-C.
 */
export function registerServe(program: Command): void {
  withDb(program.command('serve').description('Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs)'))
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--demo-keys', 'issue and print one key per role (for trying the demo)')
    .option('--log', 'log every request (pino, JSON on stdout)')
    .option(
      '--trust-proxy <list|hops>',
      "behind a reverse proxy: the proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDR ranges, or a number of hops); others' is ignored",
    )
    .action(async (opts: ServeFlags) => {
      if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) {
        throw new CredenceError('CREDENCE_E_USAGE', `--port must be a TCP port number, got "${opts.port}"`, {
          field: '--port',
        });
      }
      const trustProxy = opts.trustProxy === undefined ? undefined : parseTrustProxy(opts.trustProxy);
      const s = await serveApi({
        dbPath: dbPath(opts),
        port: Number(opts.port),
        host: opts.host,
        demoKeys: !!opts.demoKeys,
        log: !!opts.log,
        ...(trustProxy !== undefined ? { trustProxy } : {}),
      });
      printServing(s.url, s.keys);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void s.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
