// Loaded with `node --import` by identity-review-reads.test.ts: counts the rows each SQL statement
// of a command hands to JS (better-sqlite3's all, get and iterate, on any connection of the main
// thread) and writes them to $CREDENCE_SQL_LOG as JSON ([{ sql, rows }]) when the process exits.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const log = process.env.CREDENCE_SQL_LOG;
if (log) {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const Database = require(
    require.resolve('better-sqlite3', { paths: [new URL('../../..', import.meta.url).pathname] }),
  );
  const proto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
  const saved = { all: proto.all, get: proto.get, iterate: proto.iterate };
  const counts = new Map();
  const add = (sql, n) => counts.set(sql, (counts.get(sql) ?? 0) + n);
  proto.all = function (...args) {
    const rows = saved.all.apply(this, args);
    add(this.source, rows.length);
    return rows;
  };
  proto.get = function (...args) {
    const row = saved.get.apply(this, args);
    add(this.source, row === undefined ? 0 : 1);
    return row;
  };
  proto.iterate = function* (...args) {
    for (const row of saved.iterate.apply(this, args)) {
      add(this.source, 1);
      yield row;
    }
  };
  process.on('exit', () => {
    writeFileSync(log, JSON.stringify([...counts].map(([sql, rows]) => ({ sql, rows }))));
  });
}
