import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../ingest/canonical.js';
import { sealedText } from '../audit-entry.js';
import { SEALED_TEXT_SQL } from './sealed-text-sql.js';
import { auditSchema } from './sqlite-audit-schema.js';

// Any string a caller may record, lone surrogates and control characters included.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const row = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  at: fc.integer({ min: 0, max: 2 ** 50 }),
  actor: text,
  action: text,
  subject: fc.option(text, { nil: null }),
  purpose: fc.option(text, { nil: null }),
  detail: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 4 }).map(canonicalJson),
  prevHash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), text),
});

describe('the sealed text built by SQLite', () => {
  it('is the text the JavaScript sealer hashes, as stored and read back', () => {
    const db = new Database(':memory:');
    db.exec(auditSchema);
    db.exec('DROP TRIGGER audit_log_no_delete');
    const insert = db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject, purpose, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const read = db
      .prepare(`SELECT ${SEALED_TEXT_SQL}, actor, action, subject, purpose, detail, prev_hash FROM audit_log`)
      .raw();
    fc.assert(
      fc.property(row, (e) => {
        db.exec('DELETE FROM audit_log');
        insert.run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash, 'x');
        const [sqlText, actor, action, subject, purpose, detail, prevHash] = read.get() as string[];
        // The reference is the text of what SQLite stored (UTF-8 cannot hold a lone surrogate).
        const stored = {
          seq: e.seq,
          at: e.at,
          actor,
          action,
          subject,
          purpose,
          detail,
          prevHash,
        } as Parameters<typeof sealedText>[0];
        expect(sqlText).toBe(sealedText(stored));
      }),
      { numRuns: 2000 },
    );
    db.close();
  });
});
