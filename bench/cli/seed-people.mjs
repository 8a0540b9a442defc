// Seeds a database for timing `credence score` at size: the facts of a generated JSONL file
// written straight into an initialised database (`credence init` + `credence program load`) with
// plain SQL — subjects, identifiers, facts and consent rows — instead of through `credence ingest`.
// Why: on this shared machine the full pipeline (identity engine included) took over three hours
// for 3 M facts; what `credence score` reads of a person (the subject row, their facts by the
// `facts_subject` index, their consent rows) is the same either way. Subjects are resolved the
// way the exact-identifier resolver does it: the first known strong identifier of the line names
// the person, else a new one. Ledgers and cached scores are not written (`score` never reads them).
//   node bench/cli/seed-people.mjs FACTS.jsonl DB
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) throw new Error('usage: node bench/cli/seed-people.mjs FACTS.jsonl DB');
const KINDS = ['national_id', 'passport_number', 'phone', 'account', 'email'];
const CONSENT = { 'credence.opt_in': 'opt-in', 'credence.opt_out': 'opt-out' };

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
const insSubject = db.prepare('INSERT OR IGNORE INTO subjects (id) VALUES (?)');
const insIdent = db.prepare('INSERT OR IGNORE INTO identifiers (kind, value, subject) VALUES (?, ?, ?)');
const insFact = db.prepare(
  `INSERT OR IGNORE INTO facts (source, id, subject, type, at, body, hash, retracts, received_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0)`,
);
const insConsent = db.prepare(
  'INSERT OR REPLACE INTO consents (subject, program, action, at, fact_key) VALUES (?, ?, ?, ?, ?)',
);

const known = new Map();
let people = 0;
let lines = 0;
let batch = [];
const flush = db.transaction((rows) => {
  for (const { f, line, subject, fresh } of rows) {
    if (fresh) insSubject.run(subject);
    for (const k of KINDS) if (typeof f.subject?.[k] === 'string') insIdent.run(k, f.subject[k], subject);
    const at = Date.parse(f.occurredAt);
    const hash = createHash('sha1').update(line).digest('base64');
    insFact.run(f.source, f.id, subject, f.type, at, line, hash);
    const action = CONSENT[f.type];
    if (action) insConsent.run(subject, f.data.program, action, at, `${f.source}/${f.id}`);
  }
});
for await (const line of createInterface({
  input: createReadStream(file),
  crlfDelay: Number.POSITIVE_INFINITY,
})) {
  if (!line) continue;
  const f = JSON.parse(line);
  lines++;
  let subject;
  for (const k of KINDS) {
    const v = f.subject?.[k];
    if (typeof v === 'string' && known.has(`${k}\u0000${v}`)) {
      subject = known.get(`${k}\u0000${v}`);
      break;
    }
  }
  const fresh = subject === undefined;
  if (fresh) subject = `P${String(++people).padStart(7, '0')}`;
  for (const k of KINDS) {
    const v = f.subject?.[k];
    if (typeof v === 'string' && !known.has(`${k}\u0000${v}`)) known.set(`${k}\u0000${v}`, subject);
  }
  batch.push({ f, line, subject, fresh });
  if (batch.length >= 50_000) {
    flush(batch);
    batch = [];
  }
}
flush(batch);
db.close();
console.log(JSON.stringify({ lines, people }));
