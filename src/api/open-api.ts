import type { FastifyServerOptions } from 'fastify';
import { openApp, withWriteBehind } from '../app.js';
import { auditSchema, SqliteAuditLog } from '../audit/index.js';
import type { FailedAuthLimits } from './auth/index.js';
import type { ApiContext, ApiInstance, IdentityReview } from './context.js';
import { buildApi, type TrustProxy } from './server.js';
import { openApiDb } from './sqlite/api-db.js';
import { oneOpenDisputeEach } from './sqlite/api-schema.js';
import { ForeignWrites } from './sqlite/foreign-writes.js';
import { startWalCheckpointer } from './sqlite/wal-checkpointer.js';

export interface OpenedApi {
  readonly server: ApiInstance;
  readonly ctx: ApiContext;
  close(): Promise<void>;
}

/**
 * The API's composition root for the embedded deployment: the app (store and programs), the audit
 * log and the API tables, all in one SQLite file.
 *
 * @example
 * const api = await openApi('./credence.db'); await api.server.listen({ port: 8080 });
 */
export async function openApi(
  dbPath: string,
  opts: {
    clock?: () => number;
    logger?: FastifyServerOptions['logger'];
    identity?: IdentityReview;
    failedAuth?: FailedAuthLimits;
    trustProxy?: TrustProxy;
  } = {},
): Promise<OpenedApi> {
  const opened = await openApp(dbPath);
  let db: ReturnType<typeof openApiDb>;
  let writes: ForeignWrites;
  try {
    db = openApiDb(dbPath);
    // One connection for the audit log and the API tables (see ApiDeps.db).
    db.exec(auditSchema);
    // What other processes write (the CLI beside the server) is told from the server's own batches.
    writes = ForeignWrites.open(db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  // Facts are written on a second thread, one batch behind the one being judged; every request
  // still answers only once what it wrote is stored (see IngestService). Its batches are marked
  // as the server's own.
  const behind = withWriteBehind(opened, writes.commitFrame);
  const app = behind?.app ?? opened;
  const closeApp = async (): Promise<void> => {
    try {
      await behind?.release();
    } finally {
      await opened.close();
    }
  };
  const closeDb = (): void => {
    try {
      writes.close();
    } finally {
      db.close();
    }
  };
  const audit = new SqliteAuditLog(db, dbPath);
  try {
    // Needs the audit log: duplicates left by an older version are closed with an entry each.
    oneOpenDisputeEach(db, audit, (opts.clock ?? Date.now)());
  } catch (e) {
    closeDb();
    await closeApp();
    throw e;
  }
  // This connection commits on every answered request (the audit log): its checkpoints go to a worker.
  const checkpointer = startWalCheckpointer(db, dbPath);
  try {
    const { server, ctx } = await buildApi({
      app,
      audit,
      db,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
      ...(opts.identity ? { identity: opts.identity } : {}),
      ...(opts.failedAuth ? { failedAuth: opts.failedAuth } : {}),
      ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
      writes,
    });
    return {
      server,
      ctx,
      async close() {
        await server.close();
        await checkpointer?.stop();
        // The writer thread first: its last batch is stored before the server's row goes.
        await closeApp();
        closeDb();
      },
    };
  } catch (e) {
    await checkpointer?.stop();
    await closeApp();
    closeDb();
    throw e;
  }
}
