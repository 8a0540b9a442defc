import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// What a scored person reads through /v1/me/*, checked as they would read it.
const ROOT = resolve(import.meta.dirname, '../..');
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

const scoreUrl = (subject: string, program = 'marketplace', purpose = 'credit') =>
  `/v1/persons/${subject}/score?program=${program}&purpose=${purpose}`;

/** Every date-named key (`at`, `…At`, `asOf`) in a JSON answer, with its path and value. */
function dates(value: unknown, path = ''): { path: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => dates(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/^at$|At$|^asOf$/.test(k) && v !== null ? [{ path: `${path}.${k}`, value: v }] : []),
    ...dates(v, `${path}.${k}`),
  ]);
}

/** The paths whose date is not ISO 8601 text (an epoch number reads as nothing to a person). */
function unreadable(body: unknown): string[] {
  return dates(body)
    .filter(
      (d) =>
        typeof d.value !== 'string' ||
        Number.isNaN(Date.parse(d.value)) ||
        new Date(d.value).toISOString() !== d.value,
    )
    .map((d) => `${d.path}=${JSON.stringify(d.value)}`);
}

describe('dates a person reads are dates', () => {
  it('the file, the explanation, the inquiries and the disputes give every date as ISO 8601 text', async () => {
    const subject = w.keys.personSubject;
    // Something in every part of the file: an inquiry that sent a score, a dispute, a consent.
    const sent = await w.call('GET', scoreUrl(subject), w.keys.rp);
    expect(sent.status).toBe(200);
    const before = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const fact = before.facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact.source,
      factId: fact.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    expect(
      (await w.call('POST', '/v1/me/consent', w.keys.person, { program: 'city-civic', action: 'opt-in' }))
        .status,
    ).toBe(200);

    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.person)).body;
    const inquiries = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body;
    const disputes = (await w.call('GET', '/v1/me/disputes', w.keys.person)).body;

    // Each answer has dates to check (the walk found them), and every one is readable text.
    for (const [name, body, min] of [
      ['file', file, 8],
      ['explanation', ex, 2],
      ['inquiries', inquiries, 2],
      ['disputes', disputes, 2],
      ['dispute', opened.body, 2],
    ] as const) {
      expect([name, dates(body).length >= min]).toEqual([name, true]);
      expect([name, unreadable(body)]).toEqual([name, []]);
    }
    // The same instants, not made up: the deadline is 20 days after the opening.
    expect(Date.parse(opened.body.dueAt) - Date.parse(opened.body.openedAt)).toBe(20 * 86_400_000);
    expect(Date.parse(opened.body.openedAt)).toBe(w.clock.now);
    expect(file.generatedAt).toBe(new Date(w.clock.now).toISOString());
    // What the relying party was told carries its as-of as the date it was sent for.
    const told = inquiries.inquiries.find(
      (i: any) => i.action === 'score.query' && i.sent.status === 'scored',
    );
    expect(told.sent.asOf).toBe(sent.body.asOf);
    // A fact's dates in the file match the explanation's point for it.
    const point = ex.contributions.find((c: any) => c.kind === 'rule');
    const same = file.facts.find((f: any) => `${f.source}/${f.id}` === point.factKey);
    expect(point.occurredAt).toBe(same.occurredAt);
  });
});

/** A person from `from` on whose marketplace explanation has a point that moves the score, with a token. */
async function scoredPerson(from: number): Promise<{ subject: string; token: string; ex: any }> {
  const subjects = await w.api.ctx.app.store.subjectsPage('', 100);
  for (const subject of subjects.slice(from)) {
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: `Person ${subject}`, subject })).token;
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
    if (ex.contributions?.some((c: any) => c.kind === 'rule' && c.points !== 0))
      return { subject, token, ex };
  }
  throw new Error('no scored person in the world');
}

describe('every point with its source, its rule and where its data comes from', () => {
  const rulebook = parse(readFileSync(PROGRAM_FILES[0] as string, 'utf8')) as {
    program: string;
    events: Record<string, { category: string }>;
    rules: {
      id: string;
      on: string;
      when?: string;
      points: number | string;
      cap?: { max: number; per: string };
    }[];
    inactivity?: { id: string; of: string[]; after: string; points: number }[];
  };

  it('each contribution carries the category of its data and its rule as the rulebook writes it', async () => {
    expect(rulebook.program).toBe('marketplace');
    const { ex } = await scoredPerson(2);
    expect(ex.outcome.status).toBe('scored');
    const points = ex.contributions.filter((c: any) => c.kind === 'rule');
    expect(points.length).toBeGreaterThan(0);
    for (const c of points) {
      const rule = rulebook.rules.find((r) => r.id === c.ruleId);
      expect(rule).toBeDefined();
      // policy.md: "its events' declared categories are shown to every scored person with each point".
      expect([c.factKey, c.category]).toEqual([c.factKey, rulebook.events[c.type]?.category]);
      expect(c.source).toBe(c.factKey.split('/')[0]);
      expect([c.ruleId, c.rule.on, c.rule.points, c.rule.when ?? null, c.rule.cap ?? null]).toEqual([
        c.ruleId,
        rule?.on,
        String(rule?.points),
        rule?.when ?? null,
        rule?.cap ?? null,
      ]);
    }
    for (const c of ex.contributions.filter((x: any) => x.kind === 'inactivity')) {
      const rule = rulebook.inactivity?.find((r) => r.id === c.ruleId);
      expect(c.category).toEqual([...new Set(rule?.of.map((t) => rulebook.events[t]?.category))].join(', '));
      expect(c.rule).toMatchObject({ of: rule?.of, after: rule?.after, points: rule?.points });
    }
  });

  it('a fact under open dispute is listed as not counting while open, and counts again when rejected', async () => {
    const { token, ex: before } = await scoredPerson(5);
    const point = before.contributions.find((c: any) => c.kind === 'rule' && c.points !== 0);
    expect(point).toBeDefined();
    expect(before.underDispute).toEqual([]);
    const opened = await w.call('POST', '/v1/me/disputes', token, {
      source: point.source,
      factId: point.factId,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    const during = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
    // The point is gone from the score (marketplace suspends disputed facts) - and the person is told why.
    expect(during.contributions.some((c: any) => c.factKey === point.factKey)).toBe(false);
    expect(during.underDispute).toEqual([
      expect.objectContaining({
        factKey: point.factKey,
        type: point.type,
        dispute: opened.body.id,
        counts: false,
        note: expect.stringMatching(/not counted/i),
      }),
    ]);
    await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'the shop confirmed the order',
    });
    const after = (await w.call('GET', '/v1/me/explanations/marketplace', token)).body;
    expect(after.underDispute).toEqual([]);
    expect(after.contributions.some((c: any) => c.factKey === point.factKey)).toBe(true);
  });
});

describe("the CLI's copy of the file is as complete as the API's", () => {
  it('credence export lists the disputes (open and resolved, with deadline and outcome) and marks the disputed fact', async () => {
    const { subject, token, ex } = await scoredPerson(7);
    const points = ex.contributions.filter((c: any) => c.kind === 'rule');
    const [first, second] = [points[0], points[points.length - 1]];
    const open = await w.call('POST', '/v1/me/disputes', token, {
      source: first.source,
      factId: first.factId,
      reason: 'I never made this payment',
    });
    const closed = await w.call('POST', '/v1/me/disputes', token, {
      source: second.source,
      factId: second.factId,
      reason: 'wrong date',
    });
    expect([open.status, closed.status]).toEqual([200, 200]);
    await w.call('POST', `/v1/disputes/${closed.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'the furnisher confirmed the date',
    });
    // A score sent to a relying party: the copy lists it among the scores sent in the last 12 months.
    const sent = await w.call('GET', scoreUrl(subject, 'marketplace', 'credit'), w.keys.rp);
    expect(sent.body.status).toBe('scored');
    const api = (await w.call('GET', '/v1/me/file', token)).body;
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/credence.js'), 'export', subject, ...args, '--db', w.db], {
        encoding: 'utf8',
      });
    const json = cli('--json');
    expect(json.status, json.stderr).toBe(0);
    const x = JSON.parse(json.stdout);
    // The same disputes the person reads over the API, with the same dates and outcomes; overdue
    // by the CLI's clock (the real one), the API's being the test's.
    // (Overdue ones are listed first, so the order may differ too.)
    const withoutOverdue = (list: any[]) =>
      list.map(({ overdue, ...d }: any) => d).sort((a: any, b: any) => a.id.localeCompare(b.id));
    expect(withoutOverdue(x.disputes)).toEqual(withoutOverdue(api.disputes));
    for (const d of x.disputes)
      expect(d.overdue).toBe(d.status === 'open' && Date.now() > Date.parse(d.dueAt));
    expect(x.disputes.map((d: any) => [d.id, d.status])).toEqual(
      expect.arrayContaining([
        [open.body.id, 'open'],
        [closed.body.id, 'rejected'],
      ]),
    );
    // The scores sent (Schufa's "scores sent in the last 12 months"), as the API's copy lists them.
    const told = (i: any) => [i.at, i.who, i.purpose, i.program, i.sent.score];
    expect(api.scoresSent.map(told)).toContainEqual([
      sent.body.asOf,
      'Acme Rentals',
      'credit',
      'marketplace',
      sent.body.score,
    ]);
    expect(x.scoresSent.map(told)).toEqual(api.scoresSent.map(told));
    const marked = (f: any) => [`${f.source}/${f.id}`, f.disputed];
    const listed = new Set(api.facts.map((f: any) => `${f.source}/${f.id}`));
    expect(x.facts.filter((f: any) => listed.has(`${f.source}/${f.id}`)).map(marked)).toEqual(
      api.facts.map(marked),
    );
    expect(x.facts.find((f: any) => f.id === first.factId && f.source === first.source).disputed).toBe(true);
    // The person tokens issued for them, as the API's copy lists them (the CLI asks with none).
    const issued = (t: any) => [t.keyId, t.name, t.createdAt, t.revokedAt];
    expect(api.tokens.length).toBeGreaterThan(0);
    expect(x.tokens.map(issued)).toEqual(api.tokens.map(issued));
    for (const t of x.tokens) expect(t.current).toBe(false);
    const text = cli();
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^disputes \(2\):/m);
    expect(text.stdout).toMatch(
      new RegExp(`^scores sent in the last 12 months \\(${api.scoresSent.length}\\):`, 'm'),
    );
    expect(text.stdout).toContain(`${first.source}/${first.factId}`);
    expect(text.stdout).toContain(open.body.dueAt);
    expect(text.stdout).toContain('the furnisher confirmed the date');
    expect(text.stdout).toMatch(
      new RegExp(
        `^person tokens issued for you \\(${api.tokens.length}; whoever holds one reads your file as you\\):`,
        'm',
      ),
    );
    expect(text.stdout).toContain(`(${api.tokens[0].keyId}): issued ${api.tokens[0].createdAt}`);
  });
});

describe('inquiries: who asked, when, why, and about which date', () => {
  const CIVIC_PRIVILEGE = (
    parse(readFileSync(PROGRAM_FILES[1] as string, 'utf8')) as { privileges: { id: string }[] }
  ).privileges[0]?.id as string;
  it('a decision asked about a past date shows that date in the inquiry, as a score query does', async () => {
    const subject = w.keys.otherSubject;
    const asked = ['2026-06-01T00:00:00.000Z', '2026-07-15T12:00:00.000Z'];
    for (const [i, asOf] of asked.entries()) {
      const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject,
        program: i === 0 ? 'marketplace' : 'city-civic',
        policy: i === 0 ? 'deposit-free-bike' : CIVIC_PRIVILEGE,
        purpose: 'tenancy',
        asOf,
      });
      expect(r.status).toBe(200);
      expect(r.body.asOf).toBe(asOf);
    }
    const list = (await w.call('GET', '/v1/me/inquiries', w.keys.other)).body.inquiries.filter(
      (i: any) => i.action === 'decision.query',
    );
    expect(list.map((i: any) => [i.who, i.purpose, i.sent.asOf])).toEqual(
      asked.map((asOf) => ['Acme Rentals', 'tenancy', asOf]),
    );
  });
});

describe('a person who is not scored is told why in words', () => {
  it('their own score and explanation say why no score exists; the notice a relying party passes on sends them there', async () => {
    // Someone who never joined the opt-in program, from the end of the list (the other tests start at the front).
    let subject = '';
    let token = '';
    for (const s of (await w.api.ctx.app.store.subjectsPage('', 100)).reverse()) {
      token = (await w.api.ctx.auth.issue({ role: 'person', name: `Person ${s}`, subject: s })).token;
      subject = s;
      if ((await w.call('GET', '/v1/me/scores/city-civic', token)).body.reason === 'not-enrolled') break;
    }
    await w.call('POST', '/v1/me/consent', token, { program: 'marketplace', action: 'opt-out' });
    const civic = parse(readFileSync(PROGRAM_FILES[1] as string, 'utf8')) as { privileges: { id: string }[] };
    const seen = new Set<string>();
    for (const [program, policy] of [
      ['marketplace', 'deposit-free-bike'],
      ['city-civic', civic.privileges[0]?.id as string],
    ] as const) {
      const own = (await w.call('GET', `/v1/me/scores/${program}`, token)).body;
      const ex = (await w.call('GET', `/v1/me/explanations/${program}`, token)).body;
      const told = (
        await w.call('POST', '/v1/decisions', w.keys.rp, { subject, program, policy, purpose: 'tenancy' })
      ).body;
      expect(own.status).toBe('not-scored');
      expect(own.score).toBeUndefined();
      seen.add(own.reason);
      // The relying party is not told why (an opt-out is not disclosed); the notice points here.
      expect([program, told.notice.keyFactors[0].code]).toEqual([program, 'NO_SCORE']);
      expect(told.notice.keyFactors[0].text).toContain('/v1/me/scores/');
      expect(own.why.length).toBeGreaterThan(0);
      expect([program, ex.outcome.why]).toEqual([program, own.why]);
    }
    // Both reasons a person can be out of a program, each in its own words.
    expect([...seen].sort()).toEqual(['not-enrolled', 'opted-out']);
  });
});

describe('each inquiry in plain words', () => {
  it('says who asked what, for which purpose, and what they were told', async () => {
    const { subject, token } = await scoredPerson(9);
    const score = (await w.call('GET', scoreUrl(subject, 'marketplace', 'tenancy'), w.keys.rp)).body;
    const decisions = [];
    for (const policy of ['deposit-free-bike', 'deposit-free-rental', 'no-deferred-payment']) {
      decisions.push(
        (
          await w.call('POST', '/v1/decisions', w.keys.rp, {
            subject,
            program: 'marketplace',
            policy,
            purpose: 'credit',
          })
        ).body,
      );
    }
    const list = (await w.call('GET', '/v1/me/inquiries', token)).body.inquiries.slice(-4);
    expect(list.map((i: any) => i.action)).toEqual([
      'score.query',
      'decision.query',
      'decision.query',
      'decision.query',
    ]);
    for (const i of list) {
      expect(i.what).toEqual(expect.any(String));
      expect(i.what).toContain('Acme Rentals');
      expect(i.what).toContain(i.purpose);
      // The program by its name, not its id (test/api/inquiry-program-name.test.ts).
      expect(i.what).toContain(`"${w.api.ctx.programs.current.get('marketplace')?.name}"`);
      expect(i.what).not.toMatch(/\.query|undefined|null|\[object/);
    }
    expect(list[0].what).toContain(`${score.score}`);
    for (const [k, d] of decisions.entries()) {
      const i = list[k + 1];
      expect(i.what).toContain(d.policy);
      // Told whether it applies: the words follow the answer, not a fixed sentence.
      expect(i.what).toMatch(d.holds ? /does apply/ : /does not apply/);
    }
  });
});

describe('the pages the server serves can be read', () => {
  /** WCAG 2 contrast ratio of two #rgb / #rrggbb colours. */
  function contrast(a: string, b: string): number {
    const lum = (hex: string) => {
      const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
      const [r, g, bl] = [0, 2, 4].map((i) => {
        const v = Number.parseInt(h.slice(i, i + 2), 16) / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (bl as number);
    };
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
    return (x + 0.05) / (y + 0.05);
  }

  it('/docs and / declare their language and title, and every badge colour has AA contrast with its text', async () => {
    for (const url of ['/', '/docs']) {
      const html = (await w.call('GET', url)).body as string;
      expect(html).toMatch(/<html lang="en">/);
      expect(html).toMatch(/<title>[^<]+<\/title>/);
      expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    }
    const html = (await w.call('GET', '/docs')).body as string;
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const text = /\.m\{[^}]*[;{]color:(#[0-9a-f]{3,6})/i.exec(css)?.[1] as string;
    const badges = [...css.matchAll(/\.(\w+)\{background:(#[0-9a-f]{3,6})\}/gi)];
    expect(text).toBeDefined();
    expect(badges.length).toBeGreaterThanOrEqual(3);
    for (const [, name, bg] of badges) {
      expect([name, contrast(text, bg as string) >= 4.5]).toEqual([name, true]);
    }
  });
});
