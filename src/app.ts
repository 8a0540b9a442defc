/**
 * The composition root of the embedded deployment: opens the SQLite store, compiles the
 * programs' rulebooks, and builds the resolver and the ingest pipeline. The CLI builds
 * everything through here; nothing else picks adapters.
 *
 * Opening lives in `open-app.ts` (re-exported here): commands that do not ingest import it
 * directly and so never load the identity engine.
 */
import type { IngestOptions, IngestPipeline } from './ingest/pipeline.js';
import { IdentityIngestPipeline } from './ingest/resolve/identity-pipeline.js';
import type { IdentityResolverOptions } from './ingest/resolve/identity-resolver.js';
import type { App } from './open-app.js';
import type { CommitFrame } from './store/sqlite/sqlite-store.js';
import { SqliteWriter } from './store/sqlite/sqlite-writer.js';
import { WriteBehindStore } from './store/write-behind.js';

export {
  type App,
  currentPerson,
  defaultDbPath,
  findSubject,
  initDatabase,
  loadPerson,
  mergedIds,
  openApp,
  requireProgram,
} from './open-app.js';

/**
 * The ingest pipeline over the app's store and programs, resolving subjects with the identity
 * engine (strong identifiers, then Fellegi–Sunter; records and links persisted with each batch).
 */
export function createIngest(
  app: App,
  opts: Partial<IngestOptions> = {},
  identity: IdentityResolverOptions = {},
): IngestPipeline {
  return new IdentityIngestPipeline(app.store, app.programs, { now: Date.now, ...opts }, identity);
}

/**
 * The app with a write-behind store: commits run on a worker thread with its own connection,
 * one batch behind the pipeline (the second core writes while the first judges). Undefined
 * where no worker can serve the database (in memory). `release` flushes and stops the worker,
 * leaving the app's own store open. `commitFrame`: statements run first and last in each
 * batch's transaction (a server marking its own writes).
 */
export function withWriteBehind(
  app: App,
  commitFrame?: CommitFrame,
): { app: App; release(): Promise<void> } | undefined {
  const writer = SqliteWriter.start(app.dbPath, commitFrame);
  if (!writer) return undefined;
  const store = new WriteBehindStore(app.store, writer);
  return {
    app: { ...app, store },
    release: () => store.detach(),
  };
}
