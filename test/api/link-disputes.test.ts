import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subject } from '../../src/core/facts/fact.js';
import { recordIdOf } from '../../src/ingest/resolve/identity-resolver.js';
import type { StoredFact } from '../../src/store/store.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

/**
 * "This record is not me": a person disputes an identity link of their file; an operator upholds
 * it (the record is split off with its facts, both people rescored, kept apart) or rejects it.
 */

const ROOT = resolve(import.meta.dirname, '../..');

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 40 });
});
afterAll(async () => w.dispose());

const DAY = 86_400_000;
const store = () => w.api.ctx.app.store;
const subjectOf = (f: StoredFact): Subject | undefined =>
  (JSON.parse(f.body) as { subject?: Subject }).subject;
const keyOf = (f: { source: string; id: string }) => `${f.source}/${f.id}`;

/** The person's facts grouped by the record they were sent with (facts naming a subject id left out). */
async function factsByRecord(subject: string): Promise<Map<string, StoredFact[]>> {
  const out = new Map<string, StoredFact[]>();
  for (const f of (await store().personFile(subject)).facts) {
    const s = subjectOf(f);
    if (!s || s.subjectId !== undefined) continue;
    const rid = recordIdOf(s);
    out.set(rid, [...(out.get(rid) ?? []), f]);
  }
  return out;
}

/** A person with at least two linked records, and one of them that carries facts (not all of theirs). */
async function personWithTwoRecords(skip: readonly string[] = []): Promise<{
  subject: string;
  token: string;
  record: string;
  facts: StoredFact[];
}> {
  for (const subject of await store().subjectsPage('', 40)) {
    if (skip.includes(subject)) continue;
    const links = (await store().personFile(subject)).links ?? [];
    if (links.length < 2) continue;
    const byRecord = await factsByRecord(subject);
    const link = links.find(
      (l) => l.decision !== 'new' && (byRecord.get(l.recordId)?.length ?? 0) > 0 && byRecord.size > 1,
    );
    if (!link) continue;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: `person ${subject}`, subject })).token;
    return { subject, token, record: link.recordId, facts: byRecord.get(link.recordId) ?? [] };
  }
  throw new Error('no person with two records in the world');
}

const used: string[] = [];

describe('a person disputes an identity link, an operator upholds it', () => {
  it('records the dispute, shows it, and on upholding splits the record off with its facts', async () => {
    const { subject, token, record, facts } = await personWithTwoRecords();
    used.push(subject);
    const moving = new Set(facts.map(keyOf));
    // A relying party asked about them before: the inquiry stays in their list.
    const asked = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(asked.status).toBe(200);
    const before = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;

    const opened = await w.call('POST', '/v1/me/link-disputes', token, {
      record,
      reason: 'that phone number was never mine',
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      kind: 'link',
      subject,
      record,
      reason: 'that phone number was never mine',
      status: 'open',
      overdue: false,
      resolvedAt: null,
      movedFacts: null,
    });
    expect(opened.body).not.toHaveProperty('splitTo');
    // The fact disputes' deadline: 20 days.
    expect(Date.parse(opened.body.dueAt) - Date.parse(opened.body.openedAt)).toBe(20 * DAY);

    // Idempotent: the open dispute of the same record is returned, not a second one.
    const again = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'again' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(opened.body.id);
    // The opening's answer says whether it was new; lists show the dispute without that.
    const { alreadyOpen, notice, ...listed } = opened.body;
    expect([alreadyOpen, notice, again.body.alreadyOpen]).toEqual([false, null, true]);

    // The CLI's copy of the file lists it as the API's does (overdue aside: the CLI reads the real
    // clock, the API the test's).
    const exported = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', subject, '--json', '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(exported.status, exported.stderr).toBe(0);
    const copy = (await w.call('GET', '/v1/me/file', token)).body;
    const sansOverdue = (list: { overdue?: boolean }[]) => list.map(({ overdue: _, ...d }) => d);
    expect(sansOverdue(JSON.parse(exported.stdout).disputes)).toEqual(sansOverdue(copy.disputes));
    expect(copy.disputes).toContainEqual(expect.objectContaining({ kind: 'link', record }));
    const text = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', subject, '--db', w.db],
      {
        encoding: 'utf8',
      },
    );
    expect(text.stdout).toContain(`link to record ${record}  "that phone number was never mine"`);
    expect(again.body.reason).toBe('that phone number was never mine');

    // Shown in their file (the link marked) and their dispute list.
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    const link = file.identityLinks.find((l: any) => l.record === record);
    expect(link.disputed).toBe(true);
    expect(file.identityLinks.filter((l: any) => l.disputed)).toHaveLength(1);
    expect(file.disputes.filter((d: any) => d.id === opened.body.id)).toEqual([listed]);
    const mine = (await w.call('GET', '/v1/me/disputes', token)).body.disputes;
    expect(mine.filter((d: any) => d.id === opened.body.id)).toEqual([listed]);
    // While open the link stands and its facts keep counting (docs/api.md, §Disputes).
    for (const f of file.facts.filter((x: any) => moving.has(keyOf(x)))) expect(f.disputed).toBe(false);
    const during = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
    expect(during.contributions).toEqual(before.contributions);
    expect(during.score).toEqual(before.score);

    // The operator's desk lists it; past the deadline it is overdue and comes first.
    const desk = (await w.call('GET', '/v1/disputes?status=open', w.keys.operator)).body;
    expect(desk.disputes.find((d: any) => d.id === opened.body.id)).toMatchObject({
      kind: 'link',
      record,
      overdue: false,
    });
    const links = (await w.call('GET', '/v1/disputes?kind=link', w.keys.operator)).body.disputes;
    expect(links.every((d: any) => d.kind === 'link')).toBe(true);
    w.clock.now += 21 * DAY;
    try {
      const late = (await w.call('GET', '/v1/disputes?status=open', w.keys.operator)).body;
      expect(late.overdue).toBeGreaterThanOrEqual(1);
      expect(late.disputes.find((d: any) => d.id === opened.body.id).overdue).toBe(true);
      const flags = late.disputes.map((d: any) => d.overdue);
      expect(flags).toEqual([...flags].sort((x: boolean, y: boolean) => Number(y) - Number(x)));
      expect((await w.call('GET', '/v1/me/disputes', token)).body.disputes[0]).toMatchObject({
        id: opened.body.id,
        overdue: true,
      });

      const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
        outcome: 'upheld',
        note: 'the shop confirmed the account is someone else',
      });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        kind: 'link',
        status: 'upheld',
        overdue: false,
        movedFacts: facts.length,
        note: 'the shop confirmed the account is someone else',
      });
      const other = resolved.body.splitTo as string;
      expect(other).toMatch(/^P\d{7}$/);
      expect(other).not.toBe(subject);

      // The record and its facts moved off the person; both were rescored.
      expect((await store().identityRecordSubjects([record])).get(record)).toBe(other);
      const left = (await store().personFile(subject)).facts.map(keyOf);
      expect(left.filter((k) => moving.has(k))).toEqual([]);
      expect(left.length).toBeGreaterThan(0);
      const went = await store().personFile(other);
      expect(went.facts.map(keyOf).sort()).toEqual([...moving].sort());
      expect((await store().personFile(subject)).ledger.some((l) => moving.has(l.factKey))).toBe(false);
      for (const s of [subject, other]) {
        const sc = (await store().personFile(s)).scores;
        expect(sc.length).toBeGreaterThan(0);
      }
      const ledgerOf = (await store().personFile(other)).ledger;
      expect(ledgerOf.every((l) => moving.has(l.factKey))).toBe(true);
      const after = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
      expect(after.contributions.some((c: any) => moving.has(c.factKey))).toBe(false);

      // The person sees the outcome, never who the record went to.
      const view = (await w.call('GET', '/v1/me/file', token)).body;
      expect(view.identityLinks.some((l: any) => l.record === record)).toBe(false);
      expect(view.disputes.find((d: any) => d.id === opened.body.id)).toMatchObject({
        status: 'upheld',
        movedFacts: facts.length,
      });
      expect(JSON.stringify(view)).not.toContain(other);
      expect(JSON.stringify((await w.call('GET', '/v1/me/disputes', token)).body)).not.toContain(other);
      // The inquiry made before the split is still theirs.
      expect(view.inquiries.some((i: any) => i.action === 'score.query' && i.purpose === 'credit')).toBe(
        true,
      );

      // Audit: opened (twice asked, once opened), resolved, and the split in the new person's trail.
      const trail = await w.api.ctx.audit.query({ subject, actions: ['dispute.open', 'dispute.resolve'] });
      const detail = (e: { detail: string }) => JSON.parse(e.detail);
      expect(trail.filter((e) => detail(e).dispute === opened.body.id).map((e) => e.action)).toEqual([
        'dispute.open',
        'dispute.open',
        'dispute.resolve',
      ]);
      expect(detail(trail.at(-1) as { detail: string })).toMatchObject({
        kind: 'link',
        outcome: 'upheld',
        record,
        splitTo: other,
        movedFacts: facts.length,
      });
      const split = await w.api.ctx.audit.query({ subject: other, actions: ['identity.split'] });
      expect(split).toHaveLength(1);
      expect(detail(split[0] as { detail: string })).toMatchObject({
        records: [record],
        dispute: opened.body.id,
      });
      expect(JSON.stringify(split)).not.toContain(subject);
      expect((await w.call('GET', '/v1/audit/verify', w.keys.operator)).body.ok).toBe(true);

      // Closed: it cannot be resolved twice.
      const twice = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
        outcome: 'rejected',
        note: '',
      });
      expect(twice.status).toBe(409);
      expect(twice.body.error.details[0]).toMatchObject({ field: 'id' });

      // The record is not linked back to the person: the same fact again is a duplicate, and a
      // new fact sent with the same record goes to the person it was split off to.
      const sample = facts[0] as StoredFact;
      const furnisher = (
        await w.api.ctx.auth.issue({ role: 'furnisher', name: 'resender', source: sample.source })
      ).token;
      const original = JSON.parse(sample.body);
      const resent = await w.call('POST', '/v1/facts', furnisher, { facts: [original] });
      expect(resent.body.results[0].status).toBe('duplicate');
      const fresh = {
        ...original,
        id: `${sample.id}-resent`,
        occurredAt: new Date(Date.parse(original.occurredAt) + 60_000).toISOString(),
      };
      const sent = await w.call('POST', '/v1/facts', furnisher, { facts: [fresh] });
      expect(sent.body.results[0].status).toBe('accepted');
      expect((await store().personFacts([subject])).get(subject)?.some((f) => f.id === fresh.id)).toBe(false);
      expect((await store().personFacts([other])).get(other)?.some((f) => f.id === fresh.id)).toBe(true);
      expect((await store().identityRecordSubjects([record])).get(record)).toBe(other);
      expect(
        (await w.call('GET', '/v1/me/file', token)).body.identityLinks.map((l: any) => l.record),
      ).not.toContain(record);
    } finally {
      w.clock.now -= 21 * DAY;
    }
  });
});

describe('an operator rejects a link dispute', () => {
  it('changes nothing, and the person sees the outcome', async () => {
    const { subject, token, record, facts } = await personWithTwoRecords(used);
    used.push(subject);
    const factsBefore = (await store().personFile(subject)).facts.map(keyOf).sort();
    const opened = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    expect(opened.status).toBe(200);
    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'same national ID on both records',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      kind: 'link',
      status: 'rejected',
      movedFacts: null,
      splitTo: null,
    });
    expect((await store().identityRecordSubjects([record])).get(record)).toBe(subject);
    expect((await store().personFile(subject)).facts.map(keyOf).sort()).toEqual(factsBefore);
    expect(facts.length).toBeGreaterThan(0);
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    expect(file.identityLinks.find((l: any) => l.record === record).disputed).toBe(false);
    expect(file.disputes.find((d: any) => d.id === opened.body.id)).toMatchObject({
      status: 'rejected',
      note: 'same national ID on both records',
      resolvedAt: expect.any(String),
    });
    const trail = await w.api.ctx.audit.query({ subject, actions: ['dispute.resolve'] });
    expect(JSON.parse((trail.at(-1) as { detail: string }).detail)).toMatchObject({
      kind: 'link',
      outcome: 'rejected',
      record,
    });
    expect(await w.api.ctx.audit.query({ actions: ['identity.split'], subject })).toHaveLength(0);
    // A new dispute of the same record may be opened once the first is closed.
    const next = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'new evidence' });
    expect(next.status).toBe(200);
    expect(next.body.id).not.toBe(opened.body.id);
    await w.call('POST', `/v1/disputes/${next.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: '',
    });
  });
});

describe('answers that cross', () => {
  it('two answers sent at once: one is taken, the other finds the dispute closed', async () => {
    const { subject, token, record } = await personWithTwoRecords(used);
    used.push(subject);
    const opened = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    const [a, b] = await Promise.all([
      w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
        outcome: 'upheld',
        note: '',
      }),
      w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
        outcome: 'rejected',
        note: '',
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 409]);
    const mine = (await w.call('GET', '/v1/me/disputes', token)).body.disputes;
    expect(mine.find((d: any) => d.id === opened.body.id)).toMatchObject({ status: 'upheld' });
    expect((await store().identityRecordSubjects([record])).get(record)).toBe(a.body.splitTo);
  });

  it('a record an operator split off meanwhile is not moved again: upheld, nothing left to move', async () => {
    const { subject, token, record } = await personWithTwoRecords(used);
    used.push(subject);
    const opened = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me' });
    const cli = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'identity', 'split', record, '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const holder = (await store().identityRecordSubjects([record])).get(record);
    expect(holder).not.toBe(subject);
    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'already split',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'upheld', movedFacts: 0, splitTo: null });
    expect((await store().identityRecordSubjects([record])).get(record)).toBe(holder);
  });
});

describe('refusals', () => {
  it('a record that is not linked to the person is 404 naming the field, and never says whose it is', async () => {
    const mine = (await store().personFile(w.keys.personSubject)).links ?? [];
    const theirs = (await store().personFile(w.keys.otherSubject)).links ?? [];
    const foreign = (theirs[0] as { recordId: string }).recordId;
    expect(mine.some((l) => l.recordId === foreign)).toBe(false);
    const refused = await w.call('POST', '/v1/me/link-disputes', w.keys.person, {
      record: foreign,
      reason: 'x',
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({ code: 'CREDENCE_E_NOT_FOUND' });
    expect(refused.body.error.details[0]).toMatchObject({ field: 'record' });
    expect(JSON.stringify(refused.body)).not.toContain(w.keys.otherSubject);
    // The same answer as for a record that does not exist at all.
    const unknown = await w.call('POST', '/v1/me/link-disputes', w.keys.person, {
      record: 'R00000000000000000000',
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body).replaceAll('R00000000000000000000', foreign)).toBe(
      JSON.stringify(refused.body),
    );
    // Nothing was recorded for either.
    const open = (await w.call('GET', '/v1/disputes?kind=link', w.keys.operator)).body.disputes;
    expect(open.some((d: any) => d.record === foreign || d.record === 'R00000000000000000000')).toBe(false);
  });

  it('a body without a record, with an empty reason or an unknown field is 400 naming it', async () => {
    const cases: [unknown, string][] = [
      [{ reason: 'x' }, 'body.record'],
      [{ record: 'R1', reason: '' }, 'body.reason'],
      [{ record: 'R1', reason: 'x', subject: 'P0000002' }, 'body.subject'],
    ];
    for (const [body, path] of cases) {
      const r = await w.call('POST', '/v1/me/link-disputes', w.keys.person, body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
      expect(r.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    const r = await w.call('POST', '/v1/disputes/none/resolve', w.keys.operator, {
      outcome: 'upheld',
      note: '',
    });
    expect(r.status).toBe(404);
    expect(r.body.error.details[0]).toMatchObject({ field: 'id' });
  });

  it('a person with a single record may dispute it: upheld, they are left without it', async () => {
    const subjectFields = {
      given_name: 'Solitary',
      surname: 'Quixley',
      date_of_birth: '1971-02-03',
      email: 'solitary.quixley@example.org',
    };
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [1, 2].map((d) => ({
        id: `solo-${d}`,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: `2026-10-0${d}T10:00:00Z`,
        subject: subjectFields,
        data: { amount: 30, items: 1 },
      })),
    });
    expect(sent.body.counts.accepted).toBe(2);
    const record = recordIdOf(subjectFields);
    const subject = (await store().identityRecordSubjects([record])).get(record) as string;
    expect((await store().personFile(subject)).links?.map((l) => l.recordId)).toEqual([record]);
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'solo', subject })).token;
    const opened = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'not me at all' });
    expect(opened.status).toBe(200);
    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'confirmed',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.movedFacts).toBe(2);
    const other = resolved.body.splitTo as string;
    expect(other).not.toBe(subject);
    expect(
      (await store().personFacts([other]))
        .get(other)
        ?.map((f) => f.id)
        .sort(),
    ).toEqual(['solo-1', 'solo-2']);
    // Their token still names them: an empty file, and the outcome in their disputes.
    const file = await w.call('GET', '/v1/me/file', token);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ subject, facts: [], identityLinks: [] });
    expect(file.body.disputes).toEqual([expect.objectContaining({ id: opened.body.id, status: 'upheld' })]);
    expect(JSON.stringify(file.body)).not.toContain(other);
    const score = await w.call('GET', '/v1/me/scores/marketplace', token);
    expect(score.status).toBe(200);
    expect(score.body).toMatchObject({ status: 'not-scored' });
    // Nothing left to dispute.
    const none = await w.call('POST', '/v1/me/link-disputes', token, { record, reason: 'again' });
    expect(none.status).toBe(404);
  });
});

describe('authorization', () => {
  it('only the person opens a link dispute, only an operator with disputes:admin resolves it', async () => {
    const record = ((await store().personFile(w.keys.otherSubject)).links ?? [])[0]?.recordId as string;
    const body = { record, reason: 'not me' };
    expect((await w.call('POST', '/v1/me/link-disputes', undefined, body)).status).toBe(401);
    for (const key of [w.keys.operator, w.keys.rp, w.keys.furnisher]) {
      expect((await w.call('POST', '/v1/me/link-disputes', key, body)).status).toBe(403);
    }
    // A person without self:write cannot.
    const readOnly = (
      await w.api.ctx.auth.issue({
        role: 'person',
        name: 'ro',
        subject: w.keys.otherSubject,
        scopes: ['self:read'],
      })
    ).token;
    expect((await w.call('POST', '/v1/me/link-disputes', readOnly, body)).status).toBe(403);
    const opened = await w.call('POST', '/v1/me/link-disputes', w.keys.other, body);
    expect(opened.status).toBe(200);
    // Another person neither sees nor resolves it.
    expect(JSON.stringify((await w.call('GET', '/v1/me/disputes', w.keys.person)).body)).not.toContain(
      opened.body.id,
    );
    expect(JSON.stringify((await w.call('GET', '/v1/me/file', w.keys.person)).body)).not.toContain(
      opened.body.id,
    );
    const resolve = (key?: string) =>
      w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, key, { outcome: 'upheld', note: '' });
    for (const key of [undefined, w.keys.person, w.keys.other, w.keys.rp, w.keys.furnisher]) {
      expect([401, 403]).toContain((await resolve(key)).status);
    }
    const noDesk = (
      await w.api.ctx.auth.issue({ role: 'operator', name: 'programs only', scopes: ['programs:admin'] })
    ).token;
    expect((await resolve(noDesk)).status).toBe(403);
    expect((await w.call('GET', '/v1/disputes', noDesk)).status).toBe(403);
    // Still open: none of them changed anything.
    expect((await w.call('GET', '/v1/me/disputes', w.keys.other)).body.disputes).toContainEqual(
      expect.objectContaining({ id: opened.body.id, status: 'open' }),
    );
    expect((await store().identityRecordSubjects([record])).get(record)).toBe(w.keys.otherSubject);
    const done = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'checked',
    });
    expect(done.status).toBe(200);
  });
});

describe('documentation', () => {
  it('/openapi.json and /docs describe the link dispute route and both kinds of dispute', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const op = doc.paths['/v1/me/link-disputes'].post;
    const schema = op.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['record', 'reason']));
    expect(op.responses['404']).toBeDefined();
    const list = JSON.stringify(doc.paths['/v1/me/disputes'].get.responses['200']);
    expect(list).toContain('"link"');
    expect(list).toContain('"fact"');
    const html = (await w.call('GET', '/docs')).body as string;
    expect(html).toContain('id="post-/v1/me/link-disputes"');
  });
});
