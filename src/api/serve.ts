import { type DemoKeys, issueDemoKeys } from './demo-keys.js';
import { type OpenedApi, openApi } from './open-api.js';

export interface ServeOptions {
  readonly dbPath: string;
  readonly port?: number;
  readonly host?: string;
  /** Issue and return demo keys (for `npm start`). */
  readonly demoKeys?: boolean;
  /** pino logging of requests (off by default: the audit log records what matters). */
  readonly log?: boolean;
}

export interface Serving {
  readonly url: string;
  readonly api: OpenedApi;
  readonly keys: DemoKeys | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database and listens. The demo command calls this after loading the demo data.
 *
 * @example
 * const s = await serveApi({ dbPath: 'credence.db', port: 8080, demoKeys: true }); console.log(s.url);
 */
export async function serveApi(opts: ServeOptions): Promise<Serving> {
  const api = await openApi(opts.dbPath, { logger: opts.log ? { level: 'info' } : false });
  try {
    const keys = opts.demoKeys ? await issueDemoKeys(api.ctx) : undefined;
    const address = await api.server.listen({ port: opts.port ?? 8080, host: opts.host ?? '127.0.0.1' });
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
