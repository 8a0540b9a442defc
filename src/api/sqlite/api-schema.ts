import type Database from 'better-sqlite3';

/** What a dispute of either kind can be: open, answered by the operator, or withdrawn by the person. */
export const DISPUTE_STATUSES = ['open', 'upheld', 'rejected', 'withdrawn'] as const;

/**
 * Tables the API keeps beside the store in the same file: keys, disputes (of facts and of identity
 * links), import receipts, rulebook drafts and the first answers of writes sent with an
 * `Idempotency-Key` (sealed, kept a day). Created if missing; the store's own migrations are
 * untouched.
 */
export const apiSchema = `
  CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    purposes   TEXT NOT NULL,
    source     TEXT,
    subject    TEXT,
    rate       REAL NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS api_keys_created ON api_keys (created_at, key_id);
  CREATE INDEX IF NOT EXISTS api_keys_source ON api_keys (source, created_at, key_id) WHERE role = 'furnisher';
  CREATE TABLE IF NOT EXISTS api_disputes (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    source      TEXT NOT NULL,
    fact_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected', 'withdrawn')),
    resolved_at INTEGER,
    note        TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS api_disputes_subject ON api_disputes (subject);
  CREATE INDEX IF NOT EXISTS api_disputes_fact ON api_disputes (source, fact_id);
  CREATE INDEX IF NOT EXISTS api_disputes_desk ON api_disputes (status, due_at, id);
  CREATE TABLE IF NOT EXISTS api_link_disputes (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected', 'withdrawn')),
    resolved_at INTEGER,
    note        TEXT,
    moved_facts INTEGER,
    split_to    TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS api_link_disputes_subject ON api_link_disputes (subject);
  CREATE INDEX IF NOT EXISTS api_link_disputes_desk ON api_link_disputes (status, due_at, id);
  CREATE TABLE IF NOT EXISTS api_imports (
    id          TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    source      TEXT,
    received_at INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    rejections  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS api_rulebook_drafts (
    id         TEXT PRIMARY KEY,
    program    TEXT NOT NULL,
    name       TEXT NOT NULL,
    yaml       TEXT NOT NULL,
    loaded_at  INTEGER NOT NULL,
    version    INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS api_idempotency (
    caller     TEXT NOT NULL,
    route      TEXT NOT NULL,
    idem_key   TEXT NOT NULL,
    request    TEXT NOT NULL,
    answer     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (caller, route, idem_key)
  ) WITHOUT ROWID;
`;

/** The dispute tables' columns, in the order `apiSchema` creates them. */
const DISPUTE_COLUMNS: Record<string, readonly string[]> = {
  api_disputes: [
    'id',
    'subject',
    'source',
    'fact_id',
    'reason',
    'opened_at',
    'due_at',
    'status',
    'resolved_at',
    'note',
  ],
  api_link_disputes: [
    'id',
    'subject',
    'record_id',
    'reason',
    'opened_at',
    'due_at',
    'status',
    'resolved_at',
    'note',
    'moved_facts',
    'split_to',
  ],
};

/**
 * A file whose dispute tables were created before a person could withdraw a dispute has a CHECK
 * on `status` that refuses `withdrawn`: each such table is rebuilt under the present definition,
 * every row kept, in one IMMEDIATE transaction (another server opening the file at the same time
 * finds it done). SQLite cannot alter a CHECK in place.
 *
 * @example
 * upgradeDisputeTables(db) // after db.exec(apiSchema)
 */
export function upgradeDisputeTables(db: Database.Database): void {
  const stale = (table: string): boolean => {
    const sql = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck()
      .get(table);
    return typeof sql === 'string' && !sql.includes("'withdrawn'");
  };
  const tables = Object.keys(DISPUTE_COLUMNS);
  if (!tables.some(stale)) return;
  db.transaction(() => {
    for (const table of tables) {
      if (!stale(table)) continue;
      const create = apiSchema.match(
        new RegExp(`CREATE TABLE IF NOT EXISTS ${table} \\(([\\s\\S]*?)\\) WITHOUT ROWID;`),
      );
      if (!create) throw new Error(`no definition of ${table}`);
      const cols = (DISPUTE_COLUMNS[table] as readonly string[]).join(', ');
      db.exec(`CREATE TABLE ${table}_upgrade (${create[1]}) WITHOUT ROWID`);
      db.exec(`INSERT INTO ${table}_upgrade (${cols}) SELECT ${cols} FROM ${table}`);
      db.exec(`DROP TABLE ${table}`);
      db.exec(`ALTER TABLE ${table}_upgrade RENAME TO ${table}`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${table}_subject ON ${table} (subject)`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${table}_desk ON ${table} (status, due_at, id)`);
      if (table === 'api_disputes')
        db.exec('CREATE INDEX IF NOT EXISTS api_disputes_fact ON api_disputes (source, fact_id)');
    }
  }).immediate();
}

/**
 * At most one open dispute of a fact (source, fact), whoever opened it, and of an identity link per
 * person (subject, record): partial unique indexes, so a second server on the same file, or any
 * other writer, cannot store a second one beside the first. A dispute is of the fact: a merge or a
 * split moves the fact, and its one open dispute with it (`DisputeService.open` answers the open
 * one to whoever holds the fact now), so a second open dispute of it under another person id is a
 * duplicate too. `replaces`: the index a previous version kept instead (per person and fact),
 * dropped once this one holds (it refuses nothing this one does not).
 */
const OPEN_DISPUTE_INDEXES: readonly {
  table: string;
  index: string;
  key: readonly string[];
  replaces?: string;
}[] = [
  {
    table: 'api_disputes',
    index: 'api_disputes_open_fact',
    key: ['source', 'fact_id'],
    replaces: 'api_disputes_one_open',
  },
  { table: 'api_link_disputes', index: 'api_link_disputes_one_open', key: ['subject', 'record_id'] },
];

/** How a dispute closed as a duplicate is recorded in the audit log (see `oneOpenDisputeEach`). */
export interface DuplicateDisputeLog {
  appendSync(entry: {
    at: number;
    actor: string;
    action: string;
    subject?: string;
    detail?: Readonly<Record<string, unknown>>;
  }): unknown;
}

/**
 * Makes the dispute tables hold at most one open dispute per fact (and per person and identity
 * link), and keeps it so with `OPEN_DISPUTE_INDEXES`. A file written before the indexes may hold
 * two open disputes of the same fact (two servers opened them at once), and one written under the
 * previous per-person index two of one fact under two person ids (a writer other than the server):
 * the oldest (by opening, then id) stays open; each later one is closed as `withdrawn`, its note
 * naming the one kept, with a `dispute.withdraw` entry by `system` in the audit log (so the
 * dispute tables still agree with the chain, see dispute-log-check.ts). All in one IMMEDIATE
 * transaction: another server opening the file at once finds it done. Nothing is written when the
 * indexes are there already. (`api_disputes` is not sealed: the chain's entries are its check.)
 *
 * @example
 * oneOpenDisputeEach(db, audit, Date.now()) // after openApiDb and the audit schema
 */
export function oneOpenDisputeEach(db: Database.Database, log: DuplicateDisputeLog, now: number): void {
  const hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").pluck();
  const done = (x: (typeof OPEN_DISPUTE_INDEXES)[number]): boolean =>
    hasIndex.get(x.index) !== undefined &&
    (x.replaces === undefined || hasIndex.get(x.replaces) === undefined);
  if (OPEN_DISPUTE_INDEXES.every(done)) return;
  db.transaction(() => {
    for (const { table, index, key, replaces } of OPEN_DISPUTE_INDEXES) {
      if (hasIndex.get(index) !== undefined) {
        // Built here before; the old index came back (an older build opened the file since).
        if (replaces !== undefined) db.exec(`DROP INDEX IF EXISTS ${replaces}`);
        continue;
      }
      const cols = key.join(', ');
      const open = db
        .prepare(`SELECT id, subject FROM ${table} WHERE status = 'open' ORDER BY ${cols}, opened_at, id`)
        .all() as { id: string; subject: string }[];
      const keyOf = db.prepare(`SELECT ${cols} FROM ${table} WHERE id = ?`).raw();
      const close = db.prepare(
        `UPDATE ${table} SET status = 'withdrawn', resolved_at = ?, note = ? WHERE id = ? AND status = 'open'`,
      );
      let kept: { id: string; key: string } | undefined;
      for (const r of open) {
        const k = JSON.stringify(keyOf.get(r.id));
        if (kept === undefined || kept.key !== k) {
          kept = { id: r.id, key: k };
          continue;
        }
        const note =
          table === 'api_disputes'
            ? `closed as a duplicate of dispute ${kept.id}, open on the same fact, which stays open (one open dispute per fact)`
            : `closed as a duplicate of dispute ${kept.id}, which stays open (both were opened at once)`;
        close.run(now, note, r.id);
        log.appendSync({
          at: now,
          actor: 'system',
          action: 'dispute.withdraw',
          subject: r.subject,
          detail: {
            dispute: r.id,
            duplicateOf: kept.id,
            ...(table === 'api_link_disputes' ? { kind: 'link' } : {}),
          },
        });
      }
      db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${table} (${cols}) WHERE status = 'open'`);
      if (replaces !== undefined) db.exec(`DROP INDEX IF EXISTS ${replaces}`);
    }
  }).immediate();
}

/** A one-row counter (`counter`) moved by a trigger on every insert, update and delete of `table`. */
const writeCounter = (counter: string, table: string, trigger: string): string => `
  CREATE TABLE IF NOT EXISTS ${counter} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO ${counter} (id, n) VALUES (1, 0);
  ${['INSERT', 'UPDATE', 'DELETE']
    .map(
      (event) => `
  CREATE TRIGGER IF NOT EXISTS ${trigger}_${event.toLowerCase()} AFTER ${event} ON ${table}
  BEGIN UPDATE ${counter} SET n = n + 1 WHERE id = 1; END;`,
    )
    .join('')}
`;

/**
 * A counter moved by every write to `api_disputes`, whoever makes it (this server, another on the
 * same file, a hand edit): a server holds the facts under dispute in memory (`DisputeService`) and
 * reads them again when the counter has moved. Created after `upgradeDisputeTables`, which
 * rebuilds the table (and so drops its triggers).
 */
export const disputeVersionSchema = writeCounter(
  'api_dispute_version',
  'api_disputes',
  'api_disputes_version',
);

/**
 * A counter moved by every write to `api_keys`, whoever makes it (this server, another on the same
 * file, `credence purge` revoking a forgotten person's tokens, a hand edit): a server trusts the
 * keys it verified without reading them again (`Authenticator`), and reads them again once the
 * counter has moved. Read only after `PRAGMA data_version` moved, so the request path pays nothing
 * while no other connection commits.
 */
export const keyVersionSchema = writeCounter('api_key_version', 'api_keys', 'api_keys_version');
