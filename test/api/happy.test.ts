import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { issueDemoKeys } from '../../src/api/demo-keys.js';
import { printServing } from '../../src/cli/commands/serve.js';
import { IdentityResolver } from '../../src/ingest/resolve/identity-resolver.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

const ROOT = resolve(import.meta.dirname, '../..');

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld();
});
afterAll(async () => w.dispose());

const scoreUrl = (subject: string, program = 'marketplace', purpose = 'tenancy') =>
  `/v1/persons/${subject}/score?program=${program}&purpose=${purpose}`;

describe('furnishers', () => {
  it('ingests a batch with a result per fact, idempotently, and reports the import', async () => {
    const subject = w.keys.personSubject;
    const batch = [
      {
        id: 'api-1',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-10-01T10:00:00Z',
        subject: { subjectId: subject },
        data: { amount: 10, items: 1 },
      },
      {
        id: 'api-2',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-10-02T10:00:00Z',
        subject: { subjectId: subject },
        data: { amount: 'x', items: 1 },
      },
      {
        id: 'api-1',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-10-01T10:00:00Z',
        subject: { subjectId: subject },
        data: { amount: 10, items: 1 },
      },
    ];
    const first = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: batch });
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'duplicate',
    ]);
    expect(first.body.results[1]).toMatchObject({ code: 'CREDENCE_E_FACT_INVALID', field: 'data.amount' });
    // Stored under the server clock, as the import is dated: one time source.
    const stored = (await w.api.ctx.app.store.personFile(subject)).facts.find((f) => f.id === 'api-1');
    expect(stored?.receivedAt).toBe(w.clock.now);
    const again = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: batch });
    expect(again.body.counts).toEqual({ facts: 3, accepted: 0, duplicates: 2, rejected: 1 });
    const facts = (await w.api.ctx.app.store.personFacts([subject])).get(subject) ?? [];
    expect(facts.filter((f) => f.source === 'shop' && f.id === 'api-1')).toHaveLength(1);

    const status = await w.call('GET', `/v1/imports/${first.body.importId}`, w.keys.furnisher);
    expect(status.status).toBe(200);
    expect(status.body.counts).toEqual(first.body.counts);
    expect(status.body.rejections).toHaveLength(1);
  });

  it('batches sent at once are each answered only once stored, and the audit log holds each write', async () => {
    const subject = w.keys.otherSubject;
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 200 }, (_, k) => ({
        id: `par-${b}-${k}`,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: new Date(Date.parse('2026-09-01T00:00:00Z') + (b * 200 + k) * 600_000).toISOString(),
        subject: { subjectId: subject },
        data: { amount: 5 + k, items: 1 },
      })),
    );
    // Each answer is checked on a connection of its own as soon as it arrives: the facts it
    // reports accepted are in the file, and so is its import record.
    const file = new Database(w.db, { readonly: true });
    try {
      const stored = file.prepare("SELECT count(*) FROM facts WHERE source = 'shop' AND id LIKE ?").pluck();
      const imported = file.prepare('SELECT accepted FROM api_imports WHERE id = ?').pluck();
      const answers = await Promise.all(
        batches.map(async (facts, b) => {
          const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
          expect(r.status).toBe(200);
          expect(r.body.counts).toEqual({ facts: 200, accepted: 200, duplicates: 0, rejected: 0 });
          expect(stored.get(`par-${b}-%`)).toBe(200);
          expect(imported.get(r.body.importId)).toBe(200);
          return r.body.importId as string;
        }),
      );
      const audited = (await w.api.ctx.audit.query({ actions: ['facts.ingest'] })).map(
        (e) => (JSON.parse(e.detail) as { importId: string }).importId,
      );
      for (const id of answers) expect(audited).toContain(id);
    } finally {
      file.close();
    }
    // The cached score over HTTP equals the engine's over everything stored.
    const score = await w.call('GET', scoreUrl(subject), w.keys.rp);
    const fresh = await w.api.ctx.scores.score(subject, 'marketplace', w.clock.now);
    expect(score.body.score).toBe(fresh.status === 'scored' ? fresh.score : undefined);
  });
});

describe('relying parties', () => {
  it('answers a score for a permitted purpose, and the person sees the inquiry', async () => {
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    const r = await w.call('GET', scoreUrl(w.keys.personSubject), w.keys.rp);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      subject: w.keys.personSubject,
      program: 'marketplace',
      range: { min: 350, max: 950 },
    });
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries;
    expect(list).toHaveLength(before + 1);
    expect(list.at(-1)).toMatchObject({
      who: 'Acme Rentals',
      purpose: 'tenancy',
      action: 'score.query',
      program: 'marketplace',
    });
  });

  it('cached scores over HTTP equal the engine scoring from scratch, at any as-of', async () => {
    const { currentPerson, loadPerson } = await import('../../src/app.js');
    const { scorePerson } = await import('../../src/core/scoring/index.js');
    const subjects = await w.api.ctx.app.store.subjectsPage('', 40);
    // The server's clock at the latest as-of asked: a relying party may not ask as of an instant
    // still to come, and the months after the last fact (decay, inactivity) are the ones to check.
    const saved = w.clock.now;
    w.clock.now = Date.parse('2027-06-01');
    onTestFinished(() => {
      w.clock.now = saved;
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...subjects),
        fc.constantFrom('marketplace', 'city-civic'),
        fc.integer({ min: Date.parse('2026-04-01'), max: Date.parse('2027-06-01') }),
        async (subject, program, asOf) => {
          const r = await w.call(
            'GET',
            `/v1/persons/${subject}/score?program=${program}&purpose=credit&asOf=${new Date(asOf).toISOString()}`,
            w.keys.rp,
          );
          // An id merged into another during ingest answers for the person it names now.
          expect(r.body.subject).toBe(await currentPerson(w.api.ctx.app, subject));
          const p = await loadPerson(w.api.ctx.app, r.body.subject);
          const rb = w.api.ctx.programs.at(program, asOf);
          const o = scorePerson(
            rb,
            p.facts.filter((f) => f.at <= asOf),
            asOf,
            p.consents.get(program) ?? [],
          );
          expect(r.body.status).toBe(o.status);
          if (o.status === 'scored') expect([r.body.score, r.body.tier]).toEqual([o.score, o.tier]);
          // Why not is the person's to read, never the relying party's (an opt-out is not disclosed).
          else expect(r.body).not.toHaveProperty('reason');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a decision denial carries an adverse-action notice', async () => {
    const subjects = await w.api.ctx.app.store.subjectsPage('', 40);
    let notice: any;
    for (const subject of subjects) {
      const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject,
        program: 'marketplace',
        policy: 'deposit-free-bike',
        purpose: 'credit',
      });
      expect(r.status).toBe(200);
      if (r.body.holds === true) expect(r.body.notice).toBeUndefined();
      if (r.body.denied) {
        notice = r.body.notice;
        break;
      }
    }
    expect(notice).toBeDefined();
    expect(notice.keyFactors.length).toBeLessThanOrEqual(4);
    expect(notice.range).toEqual({ min: 350, max: 950 });
    expect(typeof notice.score).toBe('number');
    expect(notice.source).toMatchObject({ provider: 'Credence', program: 'marketplace' });
    expect(notice.dispute.deadlineDays).toBe(20);
  });

  it('a privilege asked for a person who is not scored comes with a notice that says why, and no score', async () => {
    const subjects = (await w.api.ctx.app.store.subjectsPage('', 40)) as string[];
    const optedOut = subjects[9] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Ten', subject: optedOut })).token;
    await w.call('POST', '/v1/me/consent', token, { program: 'marketplace', action: 'opt-out' });
    const decide = (subject: string, program: string, policy: string) =>
      w.call('POST', '/v1/decisions', w.keys.rp, { subject, program, policy, purpose: 'credit' });
    const seen = new Map<string, any>();
    for (const subject of subjects) {
      for (const [program, policy] of [
        ['marketplace', 'deposit-free-bike'],
        ['city-civic', 'heating-fee-discount'],
      ] as const) {
        const r = await decide(subject, program, policy);
        // Why there is no score is the engine's to say, not the answer's (it is the same for all).
        const o = await w.api.ctx.scores.score(subject, program, w.clock.now);
        if (o.status === 'not-scored' && !seen.has(o.reason)) seen.set(o.reason, r.body);
      }
    }
    expect([...seen.keys()].sort()).toEqual(['insufficient-data', 'not-enrolled', 'opted-out']);
    for (const [reason, body] of seen) {
      expect(body.holds).toBeNull();
      const n = body.notice;
      expect(n, reason).toBeDefined();
      // No number exists for a person who is not scored: none is sent.
      expect(n).not.toHaveProperty('score');
      expect(n.keyFactors).toHaveLength(1);
      expect(n.keyFactors[0].code).toBe('NO_SCORE');
      expect(n.keyFactors[0].text.length).toBeGreaterThan(0);
      expect(n.range).toEqual(
        body.program === 'marketplace' ? { min: 350, max: 950 } : { min: 0, max: 2000 },
      );
      expect(n.scoredAt).toBe(body.asOf);
      expect(n.source).toMatchObject({ provider: 'Credence', program: body.program, furnishers: [] });
      expect(n.dispute.deadlineDays).toBeGreaterThan(0);
    }
    // A restriction that cannot hold for want of a score denies nothing.
    const restriction = await decide(optedOut, 'marketplace', 'no-deferred-payment');
    expect(restriction.body).toMatchObject({ status: 'not-scored', holds: null, denied: false });
    expect(restriction.body.notice).toBeUndefined();
  });

  it('a denial for a flag names the flag and its furnisher, not the score, as the key factor', async () => {
    const subjectId = (await w.api.ctx.app.store.subjectsPage('', 8))[7] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Eight', subject: subjectId })).token;
    const court = await w.api.ctx.auth.issue({
      role: 'furnisher',
      name: 'Court 8',
      source: 'court',
      rate: 1000,
    });
    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' });
    // Listed after joining: consent is not retroactive, a listing from before the opt-in would not count.
    const listedAt = w.clock.now + 3_600_000;
    w.clock.now += 2 * 3_600_000;
    const listed = await w.call('POST', '/v1/facts', court.token, {
      facts: [
        {
          id: 'bl-8',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: new Date(listedAt).toISOString(),
          subject: { subjectId },
          data: { court: 'Beijing No. 1', case: '(2026) J 8', ground: 'refuses to perform' },
        },
      ],
    });
    expect(listed.body.counts.accepted).toBe(1);
    const decide = (policy: string) =>
      w.call('POST', '/v1/decisions', w.keys.rp, {
        subject: subjectId,
        program: 'city-civic',
        policy,
        purpose: 'credit',
      });
    // A restriction that holds because of the listing, and a privilege refused because of it.
    for (const policy of ['no-flights', 'preferential-loan-rate']) {
      const r = await decide(policy);
      expect(r.body.denied).toBe(true);
      const n = r.body.notice;
      expect(n.keyFactors[0]).toMatchObject({ code: 'L01', text: 'Listed as a dishonest judgment debtor' });
      expect(n.keyFactors.map((k: { code: string }) => k.code)).not.toContain('LIMITED_POSITIVE_HISTORY');
      expect(n.keyFactors.length).toBeLessThanOrEqual(4);
      expect(n.source.furnishers).toContain('court');
    }
    // A denial on the score alone does not blame the listing.
    const heating = await decide('heating-fee-discount');
    expect(heating.body.denied).toBe(true);
    expect(heating.body.notice.keyFactors.map((k: { code: string }) => k.code)).not.toContain('L01');
  });
});

describe('screening', () => {
  it('finds a listed person by a name variant, each hit an inquiry in their file; never once they opt out', async () => {
    const subjectId = (await w.api.ctx.app.store.subjectsPage('', 3))[2] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Three', subject: subjectId })).token;
    const court = await w.api.ctx.auth.issue({
      role: 'furnisher',
      name: 'Court',
      source: 'court',
      rate: 1000,
    });
    const subject = { subjectId, full_name: 'Wang Xiaoming' };
    const listed = await w.call('POST', '/v1/facts', court.token, {
      facts: [
        {
          id: 'bl-1',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: '2026-10-20T00:00:00Z',
          subject,
          data: { court: 'Beijing No. 1', case: '(2026) J 1', ground: 'refuses to perform' },
        },
      ],
    });
    expect(listed.body.counts.accepted).toBe(1);
    // city-civic is opt-in: flags exist only for people scored in it.
    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' });
    w.clock.now += 61_000;
    const r = await w.call('POST', '/v1/screen', w.keys.rp, { name: 'WANG Xiao Ming', purpose: 'tenancy' });
    expect(r.status).toBe(200);
    const hit = r.body.candidates.find((c: { subjectId: string }) => c.subjectId === subjectId);
    expect(hit).toBeDefined();
    expect(hit.flags.length).toBeGreaterThan(0);
    const inquiries = (await w.call('GET', '/v1/me/inquiries', token)).body.inquiries;
    expect(inquiries.at(-1)).toMatchObject({
      action: 'screen.query',
      purpose: 'tenancy',
      who: 'Acme Rentals',
    });
    // Who asked is sealed in the entry itself, as for a score query.
    const raw = new Database(w.db, { readonly: true });
    const sealed = raw
      .prepare("SELECT detail FROM audit_log WHERE action = 'screen.query' ORDER BY seq DESC LIMIT 1")
      .pluck()
      .get() as string;
    raw.close();
    expect(JSON.parse(sealed).who).toBe('Acme Rentals');
    // In words, without calling the name match a score.
    expect(inquiries.at(-1).what).toContain('Acme Rentals');
    expect(inquiries.at(-1).what).toContain('tenancy');
    expect(inquiries.at(-1).what).not.toMatch(/score/i);
    const none = await w.call('POST', '/v1/screen', w.keys.rp, { name: 'Zhou Nobody', purpose: 'tenancy' });
    expect(none.body.candidates.some((c: { subjectId: string }) => c.subjectId === subjectId)).toBe(false);

    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-out' });
    w.clock.now += 61_000;
    const gone = await w.call('POST', '/v1/screen', w.keys.rp, { name: 'Wang Xiaoming', purpose: 'tenancy' });
    expect(gone.body.candidates.some((c: { subjectId: string }) => c.subjectId === subjectId)).toBe(false);
  });

  it('an opt-out takes the person off the list at once, before the name index is rebuilt', async () => {
    const subjectId = (await w.api.ctx.app.store.subjectsPage('', 5))[4] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Five', subject: subjectId })).token;
    const court = await w.api.ctx.auth.issue({
      role: 'furnisher',
      name: 'Court 5',
      source: 'court',
      rate: 1000,
    });
    await w.call('POST', '/v1/facts', court.token, {
      facts: [
        {
          id: 'bl-5',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: '2026-10-20T00:00:00Z',
          subject: { subjectId, full_name: 'Qiao Feng' },
          data: { court: 'Beijing No. 1', case: '(2026) J 5', ground: 'refuses to perform' },
        },
      ],
    });
    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' });
    w.clock.now += 61_000;
    const screen = () => w.call('POST', '/v1/screen', w.keys.rp, { name: 'Qiao Feng', purpose: 'tenancy' });
    const hits = (r: Awaited<ReturnType<typeof screen>>) =>
      r.body.candidates.filter((c: { subjectId: string }) => c.subjectId === subjectId);
    expect(hits(await screen())).toHaveLength(1);

    // The index is less than a minute old: the person as they are now is what counts.
    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-out' });
    const seen = (await w.call('GET', '/v1/me/inquiries', token)).body.inquiries.length;
    expect(hits(await screen())).toHaveLength(0);
    // Nothing was sent about them, so no inquiry either.
    expect((await w.call('GET', '/v1/me/inquiries', token)).body.inquiries).toHaveLength(seen);
  });
});

describe('persons', () => {
  it('exports the whole file with sources, dates, links, ledgers, scores sent and inquiries', async () => {
    const sent = await w.call('GET', scoreUrl(w.keys.personSubject, 'marketplace', 'credit'), w.keys.rp);
    expect(sent.body.status).toBe('scored');
    await w.call('GET', scoreUrl(w.keys.personSubject, 'city-civic', 'credit'), w.keys.rp);
    const r = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(r.status).toBe(200);
    const f = r.body;
    expect(f.subject).toBe(w.keys.personSubject);
    expect(f.facts.length).toBeGreaterThan(0);
    expect(f.facts[0]).toHaveProperty('source');
    expect(f.facts[0]).toHaveProperty('storedAt');
    // Each person record linked to them, with the evidence identity resolution stored for the
    // link (field by field, with weights), not a blanket "exact match".
    const stored = (await w.api.ctx.app.store.personFile(w.keys.personSubject)).links ?? [];
    expect(stored.some((l) => l.decision === 'probabilistic')).toBe(true);
    expect(f.identityLinks).toHaveLength(stored.length);
    for (const l of stored) {
      const shown = f.identityLinks.find((x: any) => x.record === l.recordId);
      expect(shown).toMatchObject({
        decision: l.decision,
        confidence: l.confidence,
        fields: JSON.parse(l.body),
        evidence: JSON.parse(l.link).evidence ?? [],
      });
    }
    expect(f.identifiers.length).toBeGreaterThan(0);
    expect(f.identifiers[0]).toEqual({ kind: expect.any(String), value: expect.any(String) });
    expect(f.ledgers.length).toBeGreaterThan(0);
    expect(
      f.scoresSent.some(
        (s: any) => s.program === 'marketplace' && s.purpose === 'credit' && s.sent.score === sent.body.score,
      ),
    ).toBe(true);
    // Every inquiry is listed; only those that carried a score are among the scores sent.
    expect(f.inquiries.some((i: any) => i.program === 'city-civic' && i.purpose === 'credit')).toBe(true);
    expect(f.scoresSent.every((s: any) => s.sent.status === 'scored')).toBe(true);
    expect(f.inquiries.every((i: any) => typeof i.who === 'string' && !Number.isNaN(Date.parse(i.at)))).toBe(
      true,
    );
  });

  it('lists the same inquiries in the CLI copy of the file, read from the audit log in the database', async () => {
    await w.call('GET', scoreUrl(w.keys.personSubject, 'city-civic', 'credit'), w.keys.rp);
    const api = (await w.call('GET', '/v1/me/file', w.keys.person)).body.inquiries;
    const cli = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', w.keys.personSubject, '--json', '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const x = JSON.parse(cli.stdout) as { inquiries: { who: string; purpose: string; program: string }[] };
    expect(x.inquiries.length).toBe(api.length);
    expect(x.inquiries.map((i) => [i.who, i.purpose, i.program])).toEqual(
      api.map((i: any) => [i.who, i.purpose, i.program]),
    );
    expect(x.inquiries.some((i) => i.purpose === 'credit' && i.program === 'city-civic')).toBe(true);
  });

  it("gives a person's own score with its date as text, as a relying party's answer does", async () => {
    const r = await w.call('GET', '/v1/me/scores/city-civic?asOf=2026-06-01T00:00:00.000Z', w.keys.person);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ program: 'city-civic', asOf: '2026-06-01T00:00:00.000Z' });
    const now = await w.call('GET', '/v1/me/scores/city-civic', w.keys.person);
    expect(typeof now.body.asOf).toBe('string');
    expect(new Date(now.body.asOf).toISOString()).toBe(now.body.asOf);
  });

  it('explains a score with counterfactuals', async () => {
    const r = await w.call('GET', '/v1/me/explanations/city-civic', w.keys.person);
    expect(r.status).toBe(200);
    expect(r.body).toHaveProperty('counterfactuals');
    expect(r.body).toHaveProperty('contributions');
  });

  it('after opting out, every query answers not-scored, and opting in again scores', async () => {
    const subject = w.keys.otherSubject;
    const r = await w.call('POST', '/v1/me/consent', w.keys.other, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(r.status).toBe(200);
    const s = await w.call('GET', scoreUrl(subject), w.keys.rp);
    expect(s.body).toMatchObject({ status: 'not-scored' });
    expect(s.body.score).toBeUndefined();
    const engine = (program: string) => w.api.ctx.scores.score(subject, program, w.clock.now);
    expect(await engine('marketplace')).toMatchObject({ reason: 'opted-out' });
    const d = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'credit',
    });
    expect(d.body).toMatchObject({ status: 'not-scored', holds: null, denied: false });
    expect(await w.api.ctx.app.store.ledger(subject, 'marketplace')).toEqual([]);
    // Both answers are inquiries the person sees, but neither sent a score.
    const file = (await w.call('GET', '/v1/me/file', w.keys.other)).body;
    const notScored = (i: any) => i.program === 'marketplace' && i.sent.status === 'not-scored';
    expect(file.inquiries.filter(notScored).length).toBeGreaterThanOrEqual(2);
    expect(file.scoresSent.filter(notScored)).toEqual([]);
    // city-civic is untouched
    expect(await engine('city-civic')).not.toMatchObject({ reason: 'opted-out' });
    w.clock.now += 1000;
    await w.call('POST', '/v1/me/consent', w.keys.other, { program: 'marketplace', action: 'opt-in' });
    expect(await engine('marketplace')).not.toMatchObject({ reason: 'opted-out' });
  });

  it('scores sent are those of the last 12 calendar months, not older ones', async () => {
    const subject = (await w.api.ctx.app.store.subjectsPage('', 14))[13] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Fourteen', subject })).token;
    const saved = w.clock.now;
    try {
      // Sent on 1 March 2027; twelve months on is 1 March 2028, 366 days later (29 February 2028).
      w.clock.now = Date.parse('2027-03-01T12:00:00Z');
      const sent = await w.call('GET', scoreUrl(subject, 'marketplace', 'credit'), w.keys.rp);
      expect(sent.body.status).toBe('scored');
      const sentNow = async (at: string) => {
        w.clock.now = Date.parse(at);
        const f = (await w.call('GET', '/v1/me/file', token)).body;
        const mine = (i: any) => i.at === '2027-03-01T12:00:00.000Z';
        // Every inquiry stays listed; only the scores sent are cut at twelve months.
        expect(f.inquiries.filter(mine)).toHaveLength(1);
        return f.scoresSent.filter(mine).length;
      };
      expect(await sentNow('2028-03-01T06:00:00Z')).toBe(1);
      expect(await sentNow('2028-03-01T13:00:00Z')).toBe(0);
      expect(await sentNow('2029-01-01T00:00:00Z')).toBe(0);
    } finally {
      w.clock.now = saved;
    }
  });

  it('consent changes made within the same millisecond take effect in the order they were made', async () => {
    const subject = (await w.api.ctx.app.store.subjectsPage('', 12))[11] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Twelve', subject })).token;
    const change = (action: string) =>
      w.call('POST', '/v1/me/consent', token, { program: 'marketplace', action });
    // As of the instant each answer says the change was recorded.
    const status = async (at: string) =>
      (await w.call('GET', `/v1/me/scores/marketplace?asOf=${encodeURIComponent(at)}`, token)).body.reason;
    // The server clock does not move between the requests.
    const out = await change('opt-out');
    expect(out.status).toBe(200);
    expect(await status(out.body.at)).toBe('opted-out');
    const back = await change('opt-in');
    expect(back.status).toBe(200);
    expect(await status(back.body.at)).not.toBe('opted-out');
    const again = await change('opt-out');
    expect(again.status).toBe(200);
    expect(await status(again.body.at)).toBe('opted-out');
    // Each answer gives the instant the change was recorded at, as the file lists it.
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    const ats = file.consents.filter((c: any) => c.program === 'marketplace').map((c: any) => c.at);
    expect(new Set(ats).size).toBe(3);
    expect(back.body.at).toBe(ats[1]);
  });

  it('a person token for an id merged into another acts for the merged person: its opt-out keeps them out', async () => {
    // The token names the id the person had; a merge moved their facts, records and consents to
    // the survivor. The token's file was empty and its opt-out was recorded on the empty id,
    // while relying parties went on getting a score computed from the person's facts.
    const facts = (key: Record<string, string>, prefix: string) =>
      [1, 2, 3].map((d) => ({
        id: `${prefix}-${d}`,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: `2026-10-0${d}T10:00:00Z`,
        subject: key,
        data: { amount: 20, items: 1 },
      }));
    const phone = { phone: '+8613900001111' };
    const email = { email: 'merge.me@example.com' };
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [...facts(phone, 'mg-a'), ...facts(email, 'mg-b')],
    });
    expect(sent.status).toBe(200);
    const subjectOf = async (id: string) =>
      (await w.call('GET', scoreUrl(encodeURIComponent(id)), w.keys.rp)).body.subject as string;
    const [a, b] = [await subjectOf(phone.phone), await subjectOf(email.email)];
    expect(a).not.toBe(b);
    const merged = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'identity', 'merge', a, b, '--db', w.db],
      {
        encoding: 'utf8',
      },
    );
    expect(merged.status, merged.stderr).toBe(0);
    const [survivor, absorbed] = a < b ? [a, b] : [b, a];
    const key = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: 'merged',
      subject: absorbed,
    });
    const token = key.body.token as string;
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    expect(file.subject).toBe(survivor);
    // The relying party asked about each id before the merge: both inquiries are about this person.
    expect(file.inquiries.map((i: any) => i.action)).toEqual(['score.query', 'score.query']);
    const cli = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', absorbed, '--json', '--db', w.db],
      {
        encoding: 'utf8',
      },
    );
    const view = (i: any) => [i.who, i.purpose, i.program];
    expect(JSON.parse(cli.stdout).inquiries.map(view)).toEqual(file.inquiries.map(view));
    expect(file.facts.map((f: any) => f.id).sort()).toEqual([
      'mg-a-1',
      'mg-a-2',
      'mg-a-3',
      'mg-b-1',
      'mg-b-2',
      'mg-b-3',
    ]);
    expect(
      (await w.call('POST', '/v1/me/consent', token, { program: 'marketplace', action: 'opt-out' })).status,
    ).toBe(200);
    for (const s of [survivor, absorbed]) {
      const answer = (await w.call('GET', scoreUrl(s), w.keys.rp)).body;
      expect(answer).toMatchObject({ subject: survivor, status: 'not-scored' });
      expect(answer).not.toHaveProperty('score');
    }
    expect((await w.call('GET', '/v1/me/scores/marketplace', token)).body).toMatchObject({
      reason: 'opted-out',
    });
  });

  it('a dispute opened before a merge stays marked, listed and suspended on the merged person', async () => {
    const facts = (key: Record<string, string>, prefix: string) =>
      [1, 2, 3].map((d) => ({
        id: `${prefix}-${d}`,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: `2026-10-0${d}T10:00:00Z`,
        subject: key,
        data: { amount: 20, items: 1 },
      }));
    const phone = { phone: '+8613900002222' };
    const email = { email: 'dispute.merge@example.com' };
    await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [...facts(phone, 'dm-a'), ...facts(email, 'dm-b')],
    });
    const subjectOf = async (id: string) =>
      (await w.call('GET', scoreUrl(encodeURIComponent(id)), w.keys.rp)).body.subject as string;
    const [a, b] = [await subjectOf(phone.phone), await subjectOf(email.email)];
    const [survivor, absorbed] = a < b ? [a, b] : [b, a];
    const prefix = absorbed === a ? 'dm-a' : 'dm-b';
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'absorbed', subject: absorbed })).token;
    const opened = await w.call('POST', '/v1/me/disputes', token, {
      source: 'shop',
      factId: `${prefix}-1`,
      reason: 'not my order',
    });
    expect(opened.status).toBe(200);
    const merged = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'identity', 'merge', a, b, '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(merged.status, merged.stderr).toBe(0);
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    expect(file.subject).toBe(survivor);
    expect(file.facts.find((f: any) => f.id === `${prefix}-1`).disputed).toBe(true);
    expect(file.disputes.map((d: any) => d.id)).toContain(opened.body.id);
    const mine = (await w.call('GET', '/v1/me/disputes', token)).body.disputes;
    expect(mine.map((d: any) => d.id)).toContain(opened.body.id);
    // marketplace suspends a disputed fact: it is not among the contributions while open.
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
    expect(ex.contributions.some((c: any) => c.factKey === `shop/${prefix}-1`)).toBe(false);
    expect(ex.contributions.some((c: any) => c.factKey === `shop/${prefix}-2`)).toBe(true);
  });

  it('disputes a fact: marked while open, overdue after 20 days (the PBoC deadline, within the FCRA one), retracted when upheld', async () => {
    const subject = w.keys.personSubject;
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const fact = file.facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact.source,
      factId: fact.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ status: 'open', overdue: false });
    expect(Date.parse(opened.body.dueAt) - Date.parse(opened.body.openedAt)).toBe(20 * 86_400_000);
    const marked = (await w.call('GET', '/v1/me/file', w.keys.person)).body.facts.find(
      (f: any) => f.id === fact.id && f.source === fact.source,
    );
    expect(marked.disputed).toBe(true);

    w.clock.now += 19 * 86_400_000;
    const early = await w.call('GET', '/v1/disputes?status=open', w.keys.operator);
    expect(early.body.disputes.find((d: any) => d.id === opened.body.id).overdue).toBe(false);
    w.clock.now += 2 * 86_400_000;
    const desk = await w.call('GET', '/v1/disputes?status=open', w.keys.operator);
    expect(desk.body.overdue).toBeGreaterThanOrEqual(1);
    expect(desk.body.disputes.find((d: any) => d.id === opened.body.id)).toMatchObject({ overdue: true });
    // Overdue ones first.
    const flags = desk.body.disputes.map((d: any) => d.overdue);
    expect(flags).toEqual([...flags].sort((x: boolean, y: boolean) => Number(y) - Number(x)));

    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'furnisher could not verify',
    });
    expect(resolved.body.status).toBe('upheld');
    const facts = (await w.api.ctx.app.store.personFacts([subject])).get(subject) ?? [];
    expect(facts.some((f) => f.source === fact.source && f.id === fact.id)).toBe(false);
    // Still stored, so still in the person's copy, with the retraction that undid it.
    const after = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(after.facts.some((f: any) => f.source === fact.source && f.id === fact.id)).toBe(false);
    const undone = after.retractedFacts.find((f: any) => f.source === fact.source && f.id === fact.id);
    expect(undone).toMatchObject({ type: fact.type, occurredAt: fact.occurredAt });
    expect(undone.retractedBy).toHaveLength(1);
    expect(after.retractions.map((r: any) => r.id)).toContain(undone.retractedBy[0]);
    const again = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: '',
    });
    expect(again.status).toBe(409);
    w.clock.now -= 21 * 86_400_000;
  });
});

describe('operators', () => {
  it('validates, loads and activates a rulebook version', async () => {
    const { readFileSync } = await import('node:fs');
    const { PROGRAM_FILES } = await import('./api-world.js');
    // A changed text: the loaded one again adds no version (test/api/program-versions.test.ts).
    const yaml = readFileSync(PROGRAM_FILES[0] as string, 'utf8').replace(/^name: (.*)$/m, 'name: $1 (v2)');
    expect((await w.call('POST', '/v1/programs/validate', w.keys.operator, { yaml })).body).toMatchObject({
      valid: true,
      program: 'marketplace',
    });
    const bad = await w.call('POST', '/v1/programs/validate', w.keys.operator, { yaml: 'program: x\n' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.length).toBeGreaterThan(0);
    const draft = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml });
    expect(draft.body.version).toBeNull();
    const act = await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator);
    expect(act.status).toBe(200);
    expect(act.body.version).toBe(2);
    const list = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(list.body.programs.find((p: any) => p.program === 'marketplace').active).toBe(2);
    expect(
      (await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator)).status,
    ).toBe(409);
  });

  it('issues, lists and revokes keys; sources show their credentials', async () => {
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'Court feed',
      source: 'court',
    });
    expect(issued.status).toBe(200);
    expect(issued.body.token).toMatch(/^cred_furnisher_/);
    const sources = await w.call('GET', '/v1/sources', w.keys.operator);
    expect(sources.body.sources.map((s: any) => s.source)).toContain('court');
    const keys = await w.call('GET', '/v1/keys', w.keys.operator);
    expect(JSON.stringify(keys.body)).not.toContain(issued.body.token);
    expect((await w.call('GET', '/v1/imports/none', issued.body.token)).status).toBe(404);
    expect((await w.call('DELETE', `/v1/keys/${issued.body.key.keyId}`, w.keys.operator)).body).toEqual({
      revoked: true,
    });
    expect((await w.call('GET', '/v1/imports/none', issued.body.token)).status).toBe(401);
  });

  it('verifies the audit log and lists the identity review queue ingest persisted', async () => {
    const v = await w.call('GET', '/v1/audit/verify', w.keys.operator);
    expect(v.body.ok).toBe(true);
    expect(v.body.entries).toBeGreaterThan(5);
    // The queue ingest wrote (the CLI's `identity review` reads the same), not a resolver of the API's own.
    const persisted = (await new IdentityResolver(w.api.ctx.app.store).load()).reviewQueue();
    // The name-only "Wang Wei" of the screening test waits for an operator.
    expect(persisted.length).toBeGreaterThan(0);
    expect((await w.call('GET', '/v1/identity/reviews', w.keys.operator)).body).toEqual({
      reviews: JSON.parse(JSON.stringify(persisted)),
    });
    // A decision is committed to the store: the item leaves the persisted queue.
    const item = persisted[0] as (typeof persisted)[number];
    const decided = await w.call('POST', `/v1/identity/reviews/${item.recordId}`, w.keys.operator, {
      verdict: 'different',
      subjectId: item.candidates[0]?.subjectId,
    });
    expect(decided.status).toBe(200);
    const after = (await new IdentityResolver(w.api.ctx.app.store).load()).reviewQueue();
    expect(after.map((r) => r.recordId)).not.toContain(item.recordId);
    expect((await w.call('GET', '/v1/identity/reviews', w.keys.operator)).body.reviews).toHaveLength(
      after.length,
    );
  });
});

describe('documentation', () => {
  it('/openapi.json is OpenAPI 3.1 and /docs shows every route', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const html = (await w.call('GET', '/docs')).body as string;
    let n = 0;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(methods)) {
        n++;
        expect(html).toContain(`id="${method}-${path}"`);
      }
    }
    expect(n).toBeGreaterThanOrEqual(20);
  });

  it('/docs/ and /openapi.json/ answer as without the slash (a browser or a pasted link adds one)', async () => {
    for (const path of ['/docs', '/openapi.json']) {
      const plain = await w.call('GET', path);
      const slashed = await w.call('GET', `${path}/`);
      expect(slashed.status, path).toBe(200);
      expect(slashed.body).toEqual(plain.body);
    }
  });

  it('the URL the server prints answers with a page pointing at the docs', async () => {
    const home = await w.call('GET', '/');
    expect(home.status).toBe(200);
    expect(home.body as string).toContain('href="/docs"');
    expect(home.body as string).toContain('<code>marketplace</code>');
  });

  it('the score query printed with the demo keys answers as printed (no <program> placeholder)', async () => {
    const keys = await issueDemoKeys(w.api.ctx);
    let printed = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
    try {
      printServing('http://127.0.0.1:8080', keys);
    } finally {
      write.mockRestore();
    }
    const m = /'http:\/\/127\.0\.0\.1:8080(\/v1\/persons\/[^']+)'/.exec(printed);
    expect(m?.[1]).toBe(`/v1/persons/${keys.person?.subject}/score?program=marketplace&purpose=tenancy`);
    const r = await w.call('GET', m?.[1] ?? '', keys.relyingParty.token);
    expect(r.status).toBe(200);
    expect(r.body.program).toBe('marketplace');
    // The person's page is printed, and answers: a person does not read curl.
    const page = /(http:\/\/127\.0\.0\.1:8080(\/me))\s/.exec(printed);
    expect(page?.[2]).toBe('/me');
    expect((await w.call('GET', '/me')).status).toBe(200);
  });
});
