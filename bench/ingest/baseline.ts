import { createReadStream } from 'node:fs';
import Database from 'better-sqlite3';
import { readJsonLines } from '../../src/ingest/jsonl-reader.js';

/**
 * The yardstick the issue sets: parse each line and insert it into one table, in one
 * transaction, with raw better-sqlite3 (same WAL and synchronous settings as the store).
 * `keyed` adds the (source, id) primary key that idempotent ingest needs.
 */
export async function rawInsert(
  file: string,
  dbPath: string,
  keyed: boolean,
): Promise<{ lines: number; seconds: number; cpuSeconds: number }> {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    `CREATE TABLE raw (source TEXT NOT NULL, id TEXT NOT NULL, type TEXT, occurred_at TEXT, body TEXT NOT NULL${keyed ? ', PRIMARY KEY (source, id)' : ''})`,
  );
  const insert = db.prepare('INSERT INTO raw (source, id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)');
  const started = performance.now();
  const cpu = process.cpuUsage();
  let lines = 0;
  db.exec('BEGIN');
  for await (const chunk of readJsonLines(createReadStream(file, { highWaterMark: 1 << 20 }), file)) {
    for (const l of chunk.lines) {
      const o = JSON.parse(l.text) as { source: string; id: string; type?: string; occurredAt: string };
      insert.run(o.source, o.id, o.type ?? null, o.occurredAt, l.text);
      lines++;
    }
  }
  db.exec('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  db.close();
  return { lines, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}
