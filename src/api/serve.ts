import { isIP } from 'node:net';
import { CredenceError } from '../core/errors/index.js';
import { type DemoKeys, issueDemoKeys } from './demo-keys.js';
import { type OpenedApi, openApi } from './open-api.js';
import type { TrustProxy } from './server.js';

export interface ServeOptions {
  readonly dbPath: string;
  readonly port?: number;
  readonly host?: string;
  /** Issue and return demo keys (for `npm start`). */
  readonly demoKeys?: boolean;
  /** pino logging of requests (off by default: the audit log records what matters). */
  readonly log?: boolean;
  /** The reverse proxies whose X-Forwarded-For names the client (`parseTrustProxy`). */
  readonly trustProxy?: TrustProxy;
}

/** proxy-addr's names for address ranges, accepted beside addresses and CIDR ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `--trust-proxy`: a number of hops (the nearest n proxies are believed), or a comma-separated
 * list of proxy addresses, CIDR ranges (`10.0.0.0/8`) and the names loopback, linklocal and
 * uniquelocal. Anything else is refused here, naming the part, rather than by Fastify at start-up.
 * "Believe everyone" is not offered: any client could then name another address and spread its
 * failed authentications over as many buckets as it likes.
 *
 * @example
 * parseTrustProxy('127.0.0.1,10.0.0.0/8'); // ['127.0.0.1', '10.0.0.0/8']
 * parseTrustProxy('1'); // 1
 */
export function parseTrustProxy(text: string): TrustProxy {
  const field = '--trust-proxy';
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const hops = Number(t);
    if (hops < 1 || hops > 64) {
      throw new CredenceError('CREDENCE_E_USAGE', `--trust-proxy must be 1 to 64 hops, got "${text}"`, {
        field,
      });
    }
    return hops;
  }
  const parts = t.split(',').map((p) => p.trim());
  for (const p of parts) {
    const [address, bits, extra] = p.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const ok =
      RANGE_NAMES.has(p) ||
      (family !== 0 &&
        extra === undefined &&
        (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max)));
    if (!ok) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `--trust-proxy: "${p}" is not a proxy address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; give a comma-separated list of them, or a number of hops`,
        { field },
      );
    }
  }
  return parts;
}

export interface Serving {
  readonly url: string;
  readonly api: OpenedApi;
  readonly keys: DemoKeys | undefined;
  close(): Promise<void>;
}

/** Listens, or says in words which option to change: Node's own errors name no option. */
async function listen(api: OpenedApi, port: number, host: string): Promise<string> {
  try {
    return await api.server.listen({ port, host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `${host}:${port} is in use (another credence serve?): choose another --port`,
        { field: '--port' },
      );
    if (code === 'EACCES')
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `may not listen on ${host}:${port} (a port below 1024 needs privileges): choose another --port`,
        { field: '--port' },
      );
    if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN')
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `--host ${host} is not an address of this machine (${code}): give one, such as 127.0.0.1 or 0.0.0.0`,
        { field: '--host' },
      );
    throw e;
  }
}

/**
 * Opens the database and listens. The demo command calls this after loading the demo data.
 *
 * @example
 * const s = await serveApi({ dbPath: 'credence.db', port: 8080, demoKeys: true }); console.log(s.url);
 */
export async function serveApi(opts: ServeOptions): Promise<Serving> {
  const api = await openApi(opts.dbPath, {
    logger: opts.log ? { level: 'info' } : false,
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
  });
  try {
    // Listening first: keys issued for a server that then cannot listen were stored but never shown.
    const address = await listen(api, opts.port ?? 8080, opts.host ?? '127.0.0.1');
    const keys = opts.demoKeys ? await issueDemoKeys(api.ctx) : undefined;
    await api.ctx.audit.append({
      at: api.ctx.clock(),
      actor: 'system',
      action: 'serve.start',
      detail: { address },
    });
    return { url: address, api, keys, close: () => api.close() };
  } catch (e) {
    await api.close();
    throw e;
  }
}
