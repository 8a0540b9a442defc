import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The dispute tables live beside the chain, not in it. Someone with the file could delete a
// person's dispute (gone from their list and from the desk), close it or reopen it by hand, and
// GET /v1/audit/verify still answered ok: the chain itself was intact. The check now holds the
// dispute tables to the chain's dispute.open / dispute.resolve / dispute.withdraw entries.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

const verify = async () => {
  const r = await w.call('GET', '/v1/audit/verify', w.keys.operator);
  expect(r.status).toBe(200);
  return r.body as {
    ok: boolean;
    problem?: unknown;
    disputes: { ok: boolean; disputes: number; problems: { dispute: string; reason: string }[] };
  };
};

describe('the dispute tables held to the audit log', () => {
  it('pass as the API left them, and each hand edit is named', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const [f1, f2, f3] = file.facts as { source: string; id: string }[];
    const open = async (f: { source: string; id: string } | undefined) => {
      const r = await w.call('POST', '/v1/me/disputes', w.keys.person, {
        source: f?.source,
        factId: f?.id,
        reason: 'not mine',
      });
      expect(r.status).toBe(200);
      return r.body.id as string;
    };
    const left = await open(f1);
    const rejected = await open(f2);
    const withdrawn = await open(f3);
    w.clock.now += 60_000;
    const answer = await w.call('POST', `/v1/disputes/${rejected}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'confirmed',
    });
    expect(answer.status).toBe(200);
    expect((await w.call('POST', `/v1/me/disputes/${withdrawn}/withdraw`, w.keys.person)).status).toBe(200);
    const link = await w.call('POST', '/v1/me/link-disputes', w.keys.person, {
      record: file.identityLinks[0].record,
      reason: 'not me',
    });
    expect(link.status).toBe(200);
    await w.call('POST', `/v1/disputes/${link.body.id}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'it is you',
    });

    const clean = await verify();
    expect(clean.disputes).toEqual({ ok: true, disputes: 4, problems: [] });
    expect(clean.ok).toBe(true);

    // Deleted, reopened, closed by hand, and one made up.
    const raw = new Database(w.db);
    raw.prepare('DELETE FROM api_disputes WHERE id = ?').run(left);
    raw.prepare("UPDATE api_disputes SET status = 'open', resolved_at = NULL WHERE id = ?").run(rejected);
    raw.prepare("UPDATE api_link_disputes SET status = 'upheld' WHERE id = ?").run(link.body.id);
    raw
      .prepare(
        `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status, resolved_at, note)
         VALUES ('made-up', ?, 'shop', 'x', 'x', 1, 2, 'upheld', 3, 'x')`,
      )
      .run(w.keys.personSubject);
    raw.close();

    const after = await verify();
    expect(after.ok).toBe(false);
    expect(after.problem).toBeUndefined();
    const named = after.disputes.problems.map((p) => [p.dispute, p.reason]);
    expect(named).toEqual(
      expect.arrayContaining([
        [left, expect.stringMatching(/opened it, but no such dispute is held/)],
        [rejected, expect.stringMatching(/closed it as rejected, but it is held as open/)],
        [link.body.id, expect.stringMatching(/closed it as rejected, but it is held as upheld/)],
        ['made-up', expect.stringMatching(/no dispute.open entry/)],
        ['made-up', expect.stringMatching(/no entry records that it was closed/)],
      ]),
    );
    expect(named.map(([id]) => id)).not.toContain(withdrawn);
    expect(after.disputes.ok).toBe(false);
  });
});
