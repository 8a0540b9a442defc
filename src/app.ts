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
import type { App } from './open-app.js';

export {
  type App,
  defaultDbPath,
  findSubject,
  initDatabase,
  loadPerson,
  openApp,
  requireProgram,
} from './open-app.js';

/**
 * The ingest pipeline over the app's store and programs, resolving subjects with the identity
 * engine (strong identifiers, then Fellegi–Sunter; records and links persisted with each batch).
 */
export function createIngest(app: App, opts: Partial<IngestOptions> = {}): IngestPipeline {
  return new IdentityIngestPipeline(app.store, app.programs, { now: Date.now, ...opts });
}
