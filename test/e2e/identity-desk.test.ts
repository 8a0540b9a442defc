import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/index.js';
import { residentIdCheckChar } from '../../src/identity/index.js';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// The operator's identity desk, over the CLI and the API on one database file: a review item is
// decided against one of its candidates, never against anyone else. A court judgment whose masked
// ID fits Wang Wei went, on `decide --match --subject <anyone>`, to whoever was named: a stranger
// with another resident ID took the default.

const ID_A = `11010519491231002${residentIdCheckChar('11010519491231002')}`;
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

interface Review {
  recordId: string;
  subjectId: string;
  candidates: { subjectId: string }[];
}

describe('identity review decisions name one of the candidates (real binary, and the API)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${[
        pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
        pay('p2', 2, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
        pay('p3', 3, { national_id: ID_B, given_name: 'Na', surname: 'Li' }),
        // A masked ID that fits ID_A: a review, never a merge.
        fact(
          'court',
          'c1',
          'loan.defaulted',
          '2026-03-05T10:00:00Z',
          { national_id: `${ID_A.slice(0, 10)}****${ID_A.slice(14)}`, full_name: '王伟' },
          { lender: 'bank', loan: 'L1', amount: 5000 },
        ),
      ].join('\n')}\n`,
    );
    ok(w.run(['ingest', file]));
  });
  afterEach(() => w.dispose());

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
  const queue = (): Review[] => w.json<{ reviews: Review[] }>(['identity', 'review']).reviews;

  it('credence identity decide refuses a --subject that is not a candidate, and moves nothing', () => {
    const [item] = queue() as [Review];
    const stranger = factSubject('pay/p3');
    const candidates = item.candidates.map((c) => c.subjectId);
    expect(candidates).not.toContain(stranger);
    const provisional = factSubject('court/c1');
    for (const verdict of ['--match', '--no-match']) {
      const r = w.run(['identity', 'decide', item.recordId, verdict, '--subject', stranger]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(stranger);
      for (const c of candidates) expect(r.stderr).toContain(c);
      expect(r.stderr).toContain('--subject');
    }
    expect(factSubject('court/c1')).toBe(provisional);
    expect(queue().map((q) => q.recordId)).toEqual([item.recordId]);
    // A candidate is accepted.
    ok(w.run(['identity', 'decide', item.recordId, '--match', '--subject', candidates[0] as string]));
    expect(factSubject('court/c1')).toBe(candidates[0]);
  });

  it('POST /v1/identity/reviews/{recordId} refuses a subjectId that is not a candidate, and moves nothing', async () => {
    const api = await openApi(w.db);
    try {
      const key = (await api.ctx.auth.issue({ role: 'operator', name: 'Ops' })).token;
      const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
        const r = await api.server.inject({
          method,
          url,
          headers: { authorization: `Bearer ${key}` },
          ...(body !== undefined ? { payload: body as string } : {}),
        });
        return { status: r.statusCode, body: JSON.parse(r.body) };
      };
      const [item] = (await call('GET', '/v1/identity/reviews')).body.reviews as [Review];
      const stranger = factSubject('pay/p3');
      const provisional = factSubject('court/c1');
      for (const verdict of ['same', 'different']) {
        const d = await call('POST', `/v1/identity/reviews/${item.recordId}`, {
          verdict,
          subjectId: stranger,
        });
        expect(d.status, JSON.stringify(d.body)).toBe(400);
        expect(d.body.error.code).toBe('CREDENCE_E_USAGE');
        expect(d.body.error.details).toContainEqual(
          expect.objectContaining({ field: 'subjectId', reason: expect.stringContaining(stranger) }),
        );
      }
      expect(factSubject('court/c1')).toBe(provisional);
      expect((await call('GET', '/v1/identity/reviews')).body.reviews).toHaveLength(1);
      // Each refusal is in the audit log, as the CLI's are (identity.refused).
      const refused = (await api.ctx.audit.query({ actions: ['identity.refused'] })).map((e) => ({
        subject: e.subject,
        ...JSON.parse(e.detail),
      }));
      expect(refused).toEqual(
        ['same', 'different'].map((verdict) =>
          expect.objectContaining({
            subject: stranger,
            command: 'decide',
            record: item.recordId,
            verdict,
            code: 'CREDENCE_E_USAGE',
            reason: expect.stringContaining(stranger),
          }),
        ),
      );
      const cand = item.candidates[0]?.subjectId as string;
      const d = await call('POST', `/v1/identity/reviews/${item.recordId}`, {
        verdict: 'same',
        subjectId: cand,
        note: 'the clerk confirmed',
      });
      expect(d.status).toBe(200);
      expect(factSubject('court/c1')).toBe(cand);
      // Recorded as the CLI records it: under the person the record is with now, with the note and
      // what moved.
      const [entry] = await api.ctx.audit.query({ actions: ['identity.review'] });
      expect(entry?.subject).toBe(d.body.result.subjectId);
      expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
        record: item.recordId,
        verdict: 'same',
        subject: cand,
        note: 'the clerk confirmed',
        affected: d.body.result.affected,
        movedRecords: d.body.result.movedRecords,
        movedFacts: d.body.result.movedFacts,
      });
    } finally {
      await api.close();
    }
  });

  it('a refused merge or decision is in the audit log, naming what was asked and why', () => {
    const a = factSubject('pay/p1');
    const b = factSubject('pay/p3');
    const [item] = queue() as [Review];
    const refusals = () =>
      w
        .json<{ entries: { action: string; subject: string | null; detail: Record<string, unknown> }[] }>([
          'audit',
          'list',
        ])
        .entries.filter((e) => e.action === 'identity.refused');
    expect(refusals()).toEqual([]);
    // Two valid resident IDs: never one person.
    const m = w.run(['identity', 'merge', a, b]);
    expect(m.code).toBe(5);
    expect(m.stderr).toContain('CREDENCE_E_IDENTITY_CONFLICT');
    const d = w.run(['identity', 'decide', item.recordId, '--match', '--subject', b]);
    expect(d.code).toBe(2);
    const s = w.run(['identity', 'split', 'Rnot-a-record']);
    expect(s.code).not.toBe(0);
    const logged = refusals();
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatchObject({
      subject: a,
      detail: { command: 'merge', persons: [a, b], code: 'CREDENCE_E_IDENTITY_CONFLICT' },
    });
    expect(logged[0]?.detail.reason).toEqual(expect.stringContaining(b));
    expect(logged[1]).toMatchObject({
      subject: b,
      detail: { command: 'decide', record: item.recordId, verdict: 'same', code: 'CREDENCE_E_USAGE' },
    });
    expect(logged[2]).toMatchObject({
      detail: { command: 'split', records: ['Rnot-a-record'], code: 'CREDENCE_E_NOT_FOUND' },
    });
    ok(w.run(['audit', 'verify']));
  });
  it('each decision about a person is in their file, without naming anyone else', async () => {
    const [item] = queue() as [Review];
    const person = item.candidates[0]?.subjectId as string;
    const provisional = item.subjectId;
    const stranger = factSubject('pay/p3');
    ok(w.run(['identity', 'decide', item.recordId, '--match', '--note', 'same birth date on the judgment']));
    const split = JSON.parse(
      ok(w.run(['identity', 'split', item.recordId, '--note', 'the clerk corrected the ID', '--json']))
        .stdout,
    ) as { subjectId: string };
    const api = await openApi(w.db);
    try {
      const file = async (subject: string) => {
        const token = (await api.ctx.auth.issue({ role: 'person', name: subject, subject })).token;
        const r = await api.server.inject({
          method: 'GET',
          url: '/v1/me/file',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(r.statusCode).toBe(200);
        return JSON.parse(r.body) as {
          identityDecisions?: {
            kind: string;
            by: string;
            what: string;
            records: string[];
            note: string | null;
          }[];
        };
      };
      const mine = (await file(person)).identityDecisions ?? [];
      expect(mine.map((d) => d.kind)).toEqual(['review', 'merge', 'split']);
      expect(mine[0]).toMatchObject({
        by: 'operator',
        records: [item.recordId],
        note: 'same birth date on the judgment',
      });
      expect(mine[2]).toMatchObject({
        by: 'operator',
        records: [item.recordId],
        note: 'the clerk corrected the ID',
      });
      for (const d of mine) expect(typeof d.what).toBe('string');
      // The person split off is another person now: never named in this file.
      expect(JSON.stringify(mine)).not.toContain(split.subjectId);
      const theirs = (await file(split.subjectId)).identityDecisions ?? [];
      // The verdict about their record (since undone), the merge it made of their record and the
      // person's file (it was theirs: their record was joined with another file), and the split
      // that gave it back to them.
      expect(theirs.map((d) => d.kind)).toEqual(['review', 'merge', 'split']);
      for (const d of theirs) expect(d.records).toEqual([item.recordId]);
      expect(JSON.stringify(theirs)).not.toContain(person);
      expect(JSON.stringify(theirs)).not.toContain(provisional);
      // Nothing was decided about the stranger.
      expect((await file(stranger)).identityDecisions).toEqual([]);
      // The CLI's copy of the file lists the same decisions.
      for (const subject of [person, split.subjectId, stranger]) {
        const exported = JSON.parse(ok(w.run(['export', subject, '--json'])).stdout) as {
          identityDecisions: unknown[];
        };
        expect(exported.identityDecisions).toEqual((await file(subject)).identityDecisions);
      }
      expect(ok(w.run(['export', person])).stdout).toContain('identity decisions about your records (3):');
    } finally {
      await api.close();
    }
  });
});
