import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/index.js';
import { dumpDatabase, line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// Two valid resident IDs (GB 11643 check characters computed, not copied).
const ID_A = `11010519491231002${residentIdCheckChar('11010519491231002')}`;
// Same birth date, another district and sequence: a different person, both IDs trusted.
const ID_B = `31011519491231005${residentIdCheckChar('31011519491231005')}`;

const fact = (
  source: string,
  id: string,
  type: string,
  at: string,
  subject: Record<string, string>,
  data: Record<string, unknown>,
): string => line({ id, source, type, occurredAt: at, subject, data });

const pay = (id: string, day: number, subject: Record<string, string>): string =>
  fact('pay', id, 'payment.completed', `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`, subject, {
    amount: 50,
  });

interface ExportJson {
  subject: string;
  facts: { source: string; id: string }[];
  links: {
    record: string;
    decision: string;
    confidence: number;
    evidence: { field: string; weight: number }[];
  }[];
  scores: { program: string; status: string; score?: number }[];
}

interface Review {
  recordId: string;
  subjectId: string;
  candidates: { subjectId: string; confidence: number; evidence: { field: string; outcome: string }[] }[];
}

describe('identity resolution in ingest, the store and the CLI (real binary, real SQLite file)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  const ingest = (lines: string[], name = 'in.jsonl') => {
    const file = join(w.dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return ok(w.run(['ingest', file, '--json']));
  };
  const subjects = (): string[] => (dumpDatabase(w.db).subjects as { id: string }[]).map((s) => s.id);
  const factSubject = (key: string): string => {
    const db = new Database(w.db, { readonly: true });
    try {
      const [source, id] = key.split('/');
      return (
        db.prepare('SELECT subject FROM facts WHERE source = ? AND id = ?').get(source, id) as {
          subject: string;
        }
      ).subject;
    } finally {
      db.close();
    }
  };
  const score = (subject: string): number | undefined =>
    w.json<{ score?: number }>([
      'score',
      subject,
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]).score;

  it('one person across sources: national ID + name, then phone + name in characters + birth date, then a typo', () => {
    ingest([
      pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      fact(
        'ride',
        'r1',
        'ride.completed',
        '2026-03-02T10:00:00Z',
        {
          phone: '+8613800138000',
          full_name: '王伟',
          date_of_birth: '1949-12-31',
        },
        { amount: 30 },
      ),
      fact(
        'ride',
        'r2',
        'ride.completed',
        '2026-03-03T10:00:00Z',
        {
          phone: '+8613800138000',
          full_name: '王伟',
          date_of_birth: '1949-12-31',
        },
        { amount: 30 },
      ),
      fact(
        'food',
        'f1',
        'food.order_completed',
        '2026-03-04T10:00:00Z',
        {
          account: 'food:ww1949',
          given_name: 'Wei',
          surname: 'Wnag',
          date_of_birth: '19491231',
        },
        { amount: 20 },
      ),
    ]);
    const person = factSubject('pay/p1');
    for (const k of ['ride/r1', 'ride/r2', 'food/f1']) expect(factSubject(k)).toBe(person);
    expect(subjects()).toEqual([person]);
    // Facts of one representation share one record: three records for four facts.
    const x = w.json<ExportJson>(['export', ID_A]);
    expect(x.facts.map((f) => `${f.source}/${f.id}`).sort()).toEqual([
      'food/f1',
      'pay/p1',
      'ride/r1',
      'ride/r2',
    ]);
    expect(x.links).toHaveLength(3);
    const probabilistic = x.links.filter((l) => l.decision === 'probabilistic');
    expect(probabilistic).toHaveLength(2);
    for (const l of probabilistic) {
      expect(l.confidence).toBeGreaterThan(0.95);
      expect(l.evidence.find((e) => e.field === 'date_of_birth')?.weight).toBeGreaterThan(0);
    }
    // The misspelt surname counted as close, not exact.
    expect(linkOf(w, 'food/f1').evidence.find((e) => e.field === 'surname')).toMatchObject({
      outcome: 'close',
    });
  });

  it('never merges two different valid resident IDs, even with the same name, birth date and phone', () => {
    const same = { given_name: 'Wei', surname: 'Wang', date_of_birth: '1949-12-31', phone: '+8613800138000' };
    ingest([pay('p1', 1, { ...same, national_id: ID_A }), pay('p2', 2, { ...same, national_id: ID_B })]);
    expect(factSubject('pay/p1')).not.toBe(factSubject('pay/p2'));
    expect(subjects()).toHaveLength(2);
    // An operator cannot merge them either.
    const r = w.run(['identity', 'merge', factSubject('pay/p1'), factSubject('pay/p2')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/CREDENCE_E_IDENTITY_CONFLICT|different valid resident IDs/);
  });

  it('a masked-ID court entry goes to review, never merged; deciding it moves the fact and rescoring follows', () => {
    ingest([
      pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      pay('p2', 2, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      pay('p3', 3, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      fact(
        'court',
        'c1',
        'loan.defaulted',
        '2026-03-05T10:00:00Z',
        {
          national_id: `${ID_A.slice(0, 10)}****${ID_A.slice(14)}`,
          full_name: '王伟',
        },
        { lender: 'bank', loan: 'L1', amount: 5000 },
      ),
    ]);
    const person = factSubject('pay/p1');
    const provisional = factSubject('court/c1');
    expect(provisional).not.toBe(person);
    const { reviews } = w.json<{ reviews: Review[] }>(['identity', 'review']);
    expect(reviews).toHaveLength(1);
    const item = reviews[0] as Review;
    expect(item.subjectId).toBe(provisional);
    expect(item.candidates[0]?.subjectId).toBe(person);
    expect(item.candidates[0]?.evidence.find((e) => e.field === 'national_id')?.outcome).toBe(
      'masked-consistent',
    );

    const before = score(person) as number;
    ok(w.run(['identity', 'decide', item.recordId, '--match', '--note', 'same birth date on the judgment']));
    expect(factSubject('court/c1')).toBe(person);
    expect(score(person)).toBeLessThan(before);
    expect(w.json<{ reviews: Review[] }>(['identity', 'review']).reviews).toEqual([]);
    const history = w
      .json<{ decisions: { kind: string }[] }>(['identity', 'history'])
      .decisions.map((d) => d.kind);
    expect(history).toEqual(['review', 'merge']);

    // Rebuild re-derives the same scores from the facts where the decision left them.
    const derived = dumpDatabase(w.db);
    ok(w.run(['rebuild']));
    expect(dumpDatabase(w.db)).toEqual(derived);
  });

  it('merge and split move facts between persons, rescore both, and are recorded', () => {
    ingest([
      pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      pay('p2', 2, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      pay('p3', 3, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      fact(
        'bank',
        'b1',
        'loan.defaulted',
        '2026-03-05T10:00:00Z',
        { account: 'bank:77', full_name: 'Li Na' },
        {
          lender: 'bank',
          loan: 'L1',
          amount: 900,
        },
      ),
    ]);
    const a = factSubject('pay/p1');
    const b = factSubject('bank/b1');
    expect(a).not.toBe(b);
    const alone = score(a) as number;

    const merged = JSON.parse(ok(w.run(['identity', 'merge', a, b, '--json'])).stdout) as {
      subjectId: string;
      movedFacts: number;
    };
    expect(merged).toMatchObject({ subjectId: a, movedFacts: 1 });
    expect(factSubject('bank/b1')).toBe(a);
    const together = score(a) as number;
    expect(together).toBeLessThan(alone);

    expect(w.json<ExportJson>(['export', a]).links).toHaveLength(2);
    const bankRecord = linkOf(w, 'bank/b1').recordId;
    const split = JSON.parse(
      ok(w.run(['identity', 'split', bankRecord, '--note', 'different people', '--json'])).stdout,
    ) as {
      subjectId: string;
      movedFacts: number;
    };
    expect(split.movedFacts).toBe(1);
    expect(factSubject('bank/b1')).toBe(split.subjectId);
    expect(factSubject('pay/p1')).toBe(a);
    expect(score(a)).toBe(alone);
    // Kept apart: merging them again is refused.
    expect(w.run(['identity', 'merge', a, split.subjectId]).code).not.toBe(0);

    // Operator decisions survive a rebuild, and the next ingest respects them.
    ok(w.run(['rebuild']));
    ingest(
      [
        fact(
          'bank',
          'b2',
          'loan.repaid',
          '2026-03-06T10:00:00Z',
          { account: 'bank:77', full_name: 'Li Na' },
          {
            lender: 'bank',
            loan: 'L1',
            amount: 900,
            days_late: 0,
          },
        ),
      ],
      'more.jsonl',
    );
    expect(factSubject('bank/b2')).toBe(split.subjectId);
    const kinds = w
      .json<{ decisions: { kind: string }[] }>(['identity', 'history'])
      .decisions.map((d) => d.kind);
    expect(kinds).toEqual(['merge', 'split']);
    // Both decisions are in the tamper-evident audit log too.
    const audit = ok(w.run(['audit', 'list', '--json'])).stdout;
    expect(audit).toContain('identity.merge');
    expect(audit).toContain('identity.split');
    ok(w.run(['audit', 'verify']));
  });

  it('a split undoing a merge gives each person back their own opt-out: the one who left stays unscored', () => {
    // B opts out; an operator merges B into A (the merged person is out: B said so); the merge
    // was wrong and B's record is split off. B's opt-out named B's id, so it goes with B: it
    // stayed with A, and B, under a new id, was scored again from the facts B had opted out of.
    ingest([
      pay('a1', 1, { phone: '+8613800138000' }),
      pay('a2', 2, { phone: '+8613800138000' }),
      pay('a3', 3, { phone: '+8613800138000' }),
      pay('b1', 1, { email: 'li.na@example.com' }),
      pay('b2', 2, { email: 'li.na@example.com' }),
      pay('b3', 3, { email: 'li.na@example.com' }),
      pay('b4', 4, { email: 'li.na@example.com' }),
      line({ id: 'rb4', source: 'pay', retracts: 'b4', occurredAt: '2026-03-05T00:00:00Z' }),
    ]);
    const a = factSubject('pay/a1');
    const b = factSubject('pay/b1');
    ok(w.run(['consent', b, '--program', 'marketplace', '--opt-out', '--at', '2026-03-10T00:00:00Z']));
    ok(w.run(['identity', 'merge', a, b]));
    expect(score(a)).toBeUndefined();
    const split = JSON.parse(
      ok(w.run(['identity', 'split', linkOf(w, 'pay/b1').recordId, '--json'])).stdout,
    ) as {
      subjectId: string;
    };
    expect(w.json(['score', split.subjectId, '--program', 'marketplace'])).toMatchObject({
      status: 'not-scored',
      reason: 'opted-out',
    });
    expect(score(a)).toBeTypeOf('number');
    // B's retracted fact and its retraction are B's data, shown in B's copy, not in A's.
    expect([factSubject('pay/b4'), factSubject('pay/rb4')]).toEqual([split.subjectId, split.subjectId]);
    const db = new Database(w.db, { readonly: true });
    try {
      const q = (sql: string) => db.prepare(sql).all(split.subjectId);
      expect(q('SELECT * FROM ledger WHERE subject = ?')).toEqual([]);
      expect(q('SELECT * FROM scores WHERE subject = ?')).toEqual([]);
      expect(q('SELECT action FROM consents WHERE subject = ?')).toEqual([{ action: 'opt-out' }]);
    } finally {
      db.close();
    }
    // And a rebuild, which derives consents from the facts alone, agrees.
    const before = dumpDatabase(w.db);
    ok(w.run(['rebuild']));
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('a merged-away id names the person it was merged into: an opt-out under it keeps the merged person out', () => {
    // B's id is what B knows (a person token, a relying party's records). After a merge into A,
    // B's id held no facts: `score B` answered insufficient-data, and an opt-out under B's id was
    // recorded on the empty id while the merged person, B's facts included, stayed scored.
    ingest([
      pay('a1', 1, { phone: '+8613800138000' }),
      pay('a2', 2, { phone: '+8613800138000' }),
      pay('b1', 1, { email: 'li.na@example.com' }),
      pay('b2', 2, { email: 'li.na@example.com' }),
    ]);
    const a = factSubject('pay/a1');
    const b = factSubject('pay/b1');
    ok(w.run(['identity', 'merge', a, b]));
    expect(score(a)).toBeTypeOf('number');
    expect(w.json(['score', b, '--program', 'marketplace'])).toMatchObject({ subject: a, status: 'scored' });
    ok(w.run(['consent', b, '--program', 'marketplace', '--opt-out']));
    for (const s of [a, b]) {
      const answer = w.json<Record<string, unknown>>(['score', s, '--program', 'marketplace']);
      expect(answer).toMatchObject({ subject: a, status: 'not-scored', reason: 'opted-out' });
      expect(answer).not.toHaveProperty('score');
    }
    expect(w.json<ExportJson>(['export', b]).subject).toBe(a);
  });

  it('a fact that names a merged-away id goes to the person it was merged into, whose opt-out holds', () => {
    // Stored under the emptied id, such a fact got a ledger and a cached score of its own: a
    // score kept for an opted-out person, under an id every query now answers for A.
    ingest([pay('a1', 1, { phone: '+8613800138000' }), pay('b1', 1, { email: 'li.na@example.com' })]);
    const a = factSubject('pay/a1');
    const b = factSubject('pay/b1');
    ok(w.run(['consent', a, '--program', 'marketplace', '--opt-out']));
    ok(w.run(['identity', 'merge', a, b]));
    ingest([pay('b2', 2, { subjectId: b }), pay('b3', 3, { subjectId: b })], 'later.jsonl');
    expect(factSubject('pay/b2')).toBe(a);
    expect(factSubject('pay/b3')).toBe(a);
    const db = new Database(w.db, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM scores WHERE subject = ?').pluck().get(b)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM ledger WHERE subject = ?').pluck().get(b)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM facts WHERE subject = ?').pluck().get(b)).toBe(0);
    } finally {
      db.close();
    }
    const answer = w.json<Record<string, unknown>>(['score', b, '--program', 'marketplace']);
    expect(answer).toMatchObject({ subject: a, status: 'not-scored', reason: 'opted-out' });
  });

  it('a fact that names a merged-away id whose survivor was split since is refused, naming the id', () => {
    ingest([pay('a1', 1, { phone: '+8613800138000' }), pay('b1', 1, { email: 'li.na@example.com' })]);
    const a = factSubject('pay/a1');
    const b = factSubject('pay/b1');
    ok(w.run(['identity', 'merge', a, b]));
    ok(w.run(['identity', 'split', linkOf(w, 'pay/b1').recordId]));
    const file = join(w.dir, 'late.jsonl');
    writeFileSync(file, `${pay('b9', 9, { subjectId: b })}\n`);
    const r = w.run(['ingest', file, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${b} was merged into ${a}, which was split since`);
    expect(r.stderr).toContain('CREDENCE_E_SUBJECT_AMBIGUOUS');
  });

  it('a merged-away id whose survivor was split since names no one person: it is refused', () => {
    ingest([pay('a1', 1, { phone: '+8613800138000' }), pay('b1', 1, { email: 'li.na@example.com' })]);
    const a = factSubject('pay/a1');
    const b = factSubject('pay/b1');
    ok(w.run(['identity', 'merge', a, b]));
    ok(w.run(['identity', 'split', linkOf(w, 'pay/b1').recordId]));
    const r = w.run(['score', b, '--program', 'marketplace', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/was merged into .* split since.*\[CREDENCE_E_SUBJECT_AMBIGUOUS\]/s);
  });

  it('explain-link shows each field with its weight from the database, for a fact key or a record id', () => {
    ingest([
      pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      fact(
        'ride',
        'r1',
        'ride.completed',
        '2026-03-02T10:00:00Z',
        {
          phone: '+8613800138000',
          given_name: 'Wei',
          surname: 'Wang',
          date_of_birth: '1949-12-31',
        },
        { amount: 30 },
      ),
    ]);
    const byFact = linkOf(w, 'ride/r1');
    expect(byFact.subjectId).toBe(factSubject('pay/p1'));
    expect(byFact.decision).toBe('probabilistic');
    const fields = Object.fromEntries(byFact.evidence.map((e) => [e.field, e.weight]));
    expect(fields.given_name).toBeGreaterThan(0);
    expect(fields.surname).toBeGreaterThan(0);
    expect(fields.date_of_birth).toBeGreaterThan(0);
    const byRecord = w.json<{ recordId: string; evidence: unknown[] }>(['explain-link', byFact.recordId]);
    expect(byRecord.recordId).toBe(byFact.recordId);
    const text = ok(w.run(['explain-link', 'ride/r1'])).stdout;
    expect(text).toMatch(/date_of_birth\s+exact\s+\+\d+\.\d\d/);
    expect(text).toMatch(/log2 Bayes factor/);
    const missing = w.run(['explain-link', 'ride/nope']);
    expect(missing.code).toBe(4);
  });

  it('the same input gives the same subject ids and records, whatever the batch size', () => {
    const lines = [
      pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
      fact(
        'ride',
        'r1',
        'ride.completed',
        '2026-03-02T10:00:00Z',
        {
          phone: '+8613800138000',
          full_name: '王伟',
          date_of_birth: '1949-12-31',
        },
        { amount: 30 },
      ),
      pay('p2', 3, { national_id: ID_B, given_name: 'Na', surname: 'Li' }),
      fact(
        'court',
        'c1',
        'loan.defaulted',
        '2026-03-05T10:00:00Z',
        {
          national_id: `${ID_A.slice(0, 10)}****${ID_A.slice(14)}`,
          full_name: '王伟',
        },
        { lender: 'bank', loan: 'L1', amount: 5000 },
      ),
    ];
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    ok(w.run(['ingest', file]));
    const other = makeWorld({ programs: [MARKETPLACE] });
    try {
      const f2 = join(other.dir, 'in.jsonl');
      writeFileSync(f2, `${lines.join('\n')}\n`);
      ok(other.run(['ingest', f2, '--batch-size', '1']));
      expect(dumpDatabase(other.db)).toEqual(dumpDatabase(w.db));
      expect(identityRows(other.db)).toEqual(identityRows(w.db));
    } finally {
      other.dispose();
    }
  });
});

function linkOf(
  w: World,
  id: string,
): {
  recordId: string;
  subjectId: string;
  decision: string;
  evidence: { field: string; outcome: string; weight: number }[];
} {
  return w.json(['explain-link', id]);
}

function identityRows(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT record_id, subject, decision, confidence, matched, body FROM identity_records ORDER BY seq',
      )
      .all();
  } finally {
    db.close();
  }
}
