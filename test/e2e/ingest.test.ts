import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };

describe('credence ingest (real binary, real SQLite file)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  it('refuses bad input of every kind with file, line, field and reason, and ingests the rest', () => {
    const lines = [
      payment('p1', '2026-03-01T10:00:00Z', WEI, 120), // 1 ok
      '{"id": "p2", broken', // 2 broken JSON
      line({
        id: 'p3',
        source: 'pay',
        type: 'parking.ticketed',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: WEI,
        data: {},
      }), // 3 unknown type
      line({
        id: 'p4',
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: WEI,
        data: {},
      }), // 4 missing field
      payment('p5', '2026-03-01T10:00:00Z', WEI, 'lots'), // 5 wrong type
      payment('p1', '2026-03-01T10:00:00Z', WEI, 999), // 6 conflicting body
      line({ id: 'r1', source: 'pay', retracts: 'nope', occurredAt: '2026-03-02T10:00:00Z' }), // 7 unknown retraction
      payment('p6', 'yesterday', WEI), // 8 bad instant
      payment('p7', '2026-03-02T10:00:00Z', { phone: '+8613800138000' }, 30), // 9 ok, same person by phone
      line({
        id: 'p8',
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T10:00:00Z',
        data: { amount: 1 },
      }), // 10 no subject
    ];
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = w.run(['ingest', file, '--rejects', join(w.dir, 'rejects.jsonl'), '--json']);
    expect(r.code).not.toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ lines: 10, accepted: 2, duplicates: 0, rejected: 8, subjectsCreated: 1 });
    const err = r.stderr.split('\n').filter(Boolean);
    expect(err).toEqual([
      expect.stringMatching(/in\.jsonl:2 not valid JSON.*\[CREDENCE_E_FACT_JSON\]$/),
      expect.stringMatching(
        /in\.jsonl:3 type: no loaded program declares the event type "parking\.ticketed" \[CREDENCE_E_FACT_UNKNOWN_TYPE\]$/,
      ),
      expect.stringMatching(/in\.jsonl:4 data\.amount: missing field "amount".*\[CREDENCE_E_FACT_INVALID\]$/),
      expect.stringMatching(
        /in\.jsonl:5 data\.amount: must be a number, got the string "lots" \[CREDENCE_E_FACT_INVALID\]$/,
      ),
      expect.stringMatching(
        /in\.jsonl:6 id: pay already sent a different fact with id "p1".*\[CREDENCE_E_FACT_CONFLICT\]$/,
      ),
      expect.stringMatching(
        /in\.jsonl:7 retracts: pay never sent a fact with id "nope" \[CREDENCE_E_RETRACTION_UNKNOWN\]$/,
      ),
      expect.stringMatching(
        /in\.jsonl:8 occurredAt: must be an ISO 8601 instant.*\[CREDENCE_E_FACT_INVALID\]$/,
      ),
      expect.stringMatching(/in\.jsonl:10 subject: missing field "subject" \[CREDENCE_E_FACT_INVALID\]$/),
    ]);
    // The refused lines, as sent, ready to correct and re-send.
    const rejected = readFileSync(join(w.dir, 'rejects.jsonl'), 'utf8').trimEnd().split('\n');
    expect(rejected).toEqual([1, 2, 3, 4, 5, 6, 7, 9].map((i) => lines[i]));
    const file2 = w.json<{ facts: unknown[] }>(['export', WEI.national_id]);
    expect(file2.facts).toHaveLength(2);
  });

  it('refuses a fact that carries special-category data in a field of its own, and stores nothing of it', () => {
    const base = JSON.parse(payment('s1', '2026-03-01T10:00:00Z', WEI, 40)) as Record<string, unknown>;
    const lines = [
      line({ ...base, id: 's1', data: { amount: 40, religion: 'muslim' } }), // 1 data field
      line({ ...base, id: 's2', subject: { ...WEI, ethnicity: 'uyghur' } }), // 2 subject field
      line({ ...base, id: 's3', data: { amount: 40, unionMember: true } }), // 3 camelCase
      line({ ...base, id: 's4', data: { amount: 40, note: 'bible, 2 copies' } }), // 4 values are not read
      line({ ...base, id: 's5', subject: { ...WEI, sex: 'F' } }), // 5 an identity field
      line({ ...base, id: 's6', meta: { diagnosis: 'flu' } }), // 6 beside data and subject
      line({
        id: 'r1',
        source: 'pay',
        retracts: 's4',
        occurredAt: '2026-03-02T10:00:00Z',
        data: { religion: 'muslim' },
      }), // 7 a retraction
    ];
    const file = join(w.dir, 'special.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = w.run(['ingest', file, '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 7, accepted: 2, rejected: 5 });
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /special\.jsonl:1 data\.religion: "religion" names religion .*never scores, and a fact with a field so named is never stored.*\[CREDENCE_E_FACT_PROHIBITED\]$/,
      ),
      expect.stringMatching(/special\.jsonl:2 subject\.ethnicity: .*\[CREDENCE_E_FACT_PROHIBITED\]$/),
      expect.stringMatching(/special\.jsonl:3 data\.unionMember: .*\[CREDENCE_E_FACT_PROHIBITED\]$/),
      expect.stringMatching(/special\.jsonl:6 meta\.diagnosis: .*\[CREDENCE_E_FACT_PROHIBITED\]$/),
      expect.stringMatching(/special\.jsonl:7 data\.religion: .*\[CREDENCE_E_FACT_PROHIBITED\]$/),
    ]);
    const stored = w.json<{ facts: { id: string }[] }>(['export', WEI.national_id]).facts.map((f) => f.id);
    expect(stored.sort()).toEqual(['s4', 's5']);
    for (const word of ['uyghur', 'diagnosis', 'muslim'])
      expect(readFileSync(w.db)).not.toContain(Buffer.from(word));
  });

  it('refuses a fact whose source is named for special-category data, and scores the rest', () => {
    // A payment is a payment, but a payment sent by a "mosque-donations" or "city-hospital" source
    // says what it was for: scoring it would score religion or health through the source's name.
    const lines = [
      line({ ...JSON.parse(payment('h1', '2026-03-01T10:00:00Z', WEI, 40)), source: 'city-hospital' }), // 1
      line({ ...JSON.parse(payment('h2', '2026-03-01T10:00:00Z', WEI, 40)), source: 'mosque-donations' }), // 2
      line({ ...JSON.parse(payment('h3', '2026-03-01T10:00:00Z', WEI, 40)), source: 'unionpay' }), // 3 a payment network
      line({ id: 'h4', source: 'TradeUnion', retracts: 'h1', occurredAt: '2026-03-02T10:00:00Z' }), // 4
    ];
    const file = join(w.dir, 'sources.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = w.run(['ingest', file, '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 4, accepted: 1, rejected: 3 });
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /sources\.jsonl:1 source: "city-hospital" names hospital treatment .*health.*\[CREDENCE_E_FACT_PROHIBITED\]$/,
      ),
      expect.stringMatching(
        /sources\.jsonl:2 source: "mosque-donations" .*religion.*\[CREDENCE_E_FACT_PROHIBITED\]$/,
      ),
      expect.stringMatching(/sources\.jsonl:4 source: "TradeUnion" .*\[CREDENCE_E_FACT_PROHIBITED\]$/),
    ]);
    const file2 = w.json<{ facts: { source: string }[] }>(['export', WEI.national_id]);
    expect(file2.facts.map((f) => f.source)).toEqual(['unionpay']);
  });

  it('reads a file as editors save it (BOM, CRLF, lines of spaces) and refuses a date that does not exist', () => {
    const file = join(w.dir, 'windows.jsonl');
    const lines = [
      payment('w1', '2026-03-01T10:00:00Z', WEI), // 1
      '', // 2
      '   \t', // 3 blank: only whitespace
      payment('w2', '2026-02-30T10:00:00Z', WEI), // 4 no 30 February (Date.parse makes it 2 March)
      payment('w3', '2026-03-03T10:00:00+08:00', WEI), // 5
    ];
    writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`);
    const r = w.run(['ingest', file, '--json']);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /windows\.jsonl:4 occurredAt: must be an ISO 8601 instant.*\[CREDENCE_E_FACT_INVALID\]$/,
      ),
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 3, accepted: 2, rejected: 1 });
    expect(r.code).toBe(3);
    const asOf = w.run([
      'score',
      WEI.national_id,
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-31T00:00:00Z',
    ]);
    expect(asOf.code).toBe(2);
    expect(asOf.stderr).toContain('[CREDENCE_E_USAGE]');
  });

  it('refuses a directory as input and an unwritable --rejects file before ingesting anything', () => {
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${payment('d1', '2026-03-01T10:00:00Z', WEI)}\n{"broken"\n`);
    for (const args of [
      ['ingest', w.dir],
      ['ingest', file, '--rejects', join(w.dir, 'no', 'such', 'dir', 'rejects.jsonl')],
      ['ingest', file, '--rejects', w.dir],
      ['import', 'court', w.dir],
    ]) {
      const r = w.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: cannot (read|write) .*\n {2}\[CREDENCE_E_IO\]\n$/);
    }
    // Nothing was ingested: the person of the good line is unknown.
    expect(w.run(['export', WEI.national_id]).code).toBe(4);
    // --rejects naming an input would empty it before it is read.
    const same = w.run(['ingest', file, '--rejects', file]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/is the input file .*: it would be emptied/);
    expect(readFileSync(file, 'utf8')).toContain('"d1"');
  });

  it('is idempotent on (source, id): the same file twice adds nothing and exits 0', () => {
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${[1, 2, 3].map((d) => payment(`p${d}`, `2026-03-0${d}T10:00:00Z`, WEI)).join('\n')}\n`,
    );
    const first = w.run(['ingest', file, '--json']);
    expect(first.code).toBe(0);
    const score1 = w.json([
      'score',
      WEI.national_id,
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]);
    const again = w.run(['ingest', file, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ lines: 3, accepted: 0, duplicates: 3, rejected: 0 });
    expect(
      w.json(['score', WEI.national_id, '--program', 'marketplace', '--as-of', '2026-04-01T00:00:00Z']),
    ).toEqual(score1);
  });

  it('accepts a subject id that an earlier line of the same run assigned, as a later run would', () => {
    // P0000001 is assigned by line 1; line 2 (a portal's opt-out naming it) was refused as
    // "no person P0000001" while both sat in one batch, and accepted when re-sent: the outcome
    // hung on where a batch ended.
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${[
        payment('p1', '2026-03-01T10:00:00Z', WEI),
        line({
          id: 'o1',
          source: 'portal',
          type: 'credence.opt_out',
          occurredAt: '2026-03-02T00:00:00Z',
          subject: { subjectId: 'P0000001' },
          data: { program: 'marketplace' },
        }),
        line({
          ...JSON.parse(payment('p2', '2026-03-03T10:00:00Z', WEI)),
          subject: { subjectId: 'P0000002' },
        }),
      ].join('\n')}\n`,
    );
    const r = w.run(['ingest', file, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 2, consents: 1, rejected: 1 });
    // An id no one was given is still refused.
    expect(r.stderr).toMatch(
      /in\.jsonl:3 subject\.subjectId: no person P0000002.*\[CREDENCE_E_SUBJECT_NOT_FOUND\]/,
    );
    expect(w.json(['score', 'P0000001', '--program', 'marketplace'])).toMatchObject({
      status: 'not-scored',
      reason: 'opted-out',
    });
  });

  it('reads standard input when no file is given', () => {
    const r = w.run(['ingest', '--json'], { input: `${payment('s1', '2026-03-01T10:00:00Z', WEI)}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 1 });
  });

  it('a retraction removes the fact everywhere, as if never sent', () => {
    const file = join(w.dir, 'in.jsonl');
    const facts = [1, 2, 3, 4].map((d) => payment(`p${d}`, `2026-03-0${d}T10:00:00Z`, WEI));
    writeFileSync(file, `${facts.join('\n')}\n`);
    ok(w.run(['ingest', file]));
    const withAll = w.json<{ dimensions: Record<string, number> }>([
      'score',
      WEI.phone,
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]);
    const retract = join(w.dir, 'retract.jsonl');
    writeFileSync(
      retract,
      `${line({ id: 'r1', source: 'pay', retracts: 'p2', occurredAt: '2026-03-10T00:00:00Z' })}\n`,
    );
    ok(w.run(['ingest', retract]));
    const after = w.json<{ dimensions: Record<string, number> }>([
      'score',
      WEI.phone,
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]);
    expect(after.dimensions.behaviour).toBeLessThan(withAll.dimensions.behaviour ?? 0);
    // The same as never having sent p2 at all.
    const fresh = makeWorld({ programs: [MARKETPLACE] });
    try {
      const only = join(fresh.dir, 'in.jsonl');
      writeFileSync(only, `${[facts[0], facts[2], facts[3]].join('\n')}\n`);
      ok(fresh.run(['ingest', only]));
      expect(
        fresh.json(['score', WEI.phone, '--program', 'marketplace', '--as-of', '2026-04-01T00:00:00Z']),
      ).toEqual(after);
    } finally {
      fresh.dispose();
    }
    const exported = w.json<{
      facts: { id: string }[];
      retractions: { retracts: string }[];
      ledgers: Record<string, { fact: string }[]>;
    }>(['export', WEI.phone]);
    expect(exported.facts.map((f) => f.id)).toEqual(['p1', 'p3', 'p4']);
    expect(exported.retractions.map((r) => r.retracts)).toEqual(['p2']);
    expect(exported.ledgers.marketplace?.map((l) => l.fact)).not.toContain('pay/p2');
  });
});
