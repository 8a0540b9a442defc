import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type ApiWorld, makeApiWorld, mergeLogged, shopFact, splitLogged } from './api-world.js';

// Reading a person's file (GET /v1/me/file, `credence export`) read the whole identity decision
// log once for each part that needed it: the inquiries (which ids' entries are theirs), the ids
// merged into theirs, the identity history in words and the tokens acting for them (once more per
// token bound to an id of their family). A long-running service records many decisions, and each
// read is the whole log. Now it is read once per file and handed to each part; the file is the
// same (checked against the inquiry list and between the API's copy and the export).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

/** Statements run (on any connection) while `fn` runs. */
async function statements(fn: () => Promise<unknown>): Promise<string[]> {
  type Method = (this: { source: string }, ...a: unknown[]) => unknown;
  const probe = w.api.ctx.db.prepare('SELECT 1');
  const proto = Object.getPrototypeOf(probe) as Record<'all' | 'get' | 'iterate' | 'pluck', Method>;
  const saved = { all: proto.all, get: proto.get, iterate: proto.iterate };
  const out: string[] = [];
  for (const m of ['all', 'get', 'iterate'] as const) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      out.push(this.source);
      return saved[m].apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    Object.assign(proto, saved);
  }
  return out;
}

const decisionReads = (sql: readonly string[]) => sql.filter((s) => /\bFROM\s+identity_decisions\b/i.test(s));

let n = 0;
/** A new person (one record, by phone), asked about once by the relying party, with a token. */
async function person(): Promise<{ id: string; record: string; token: string; phone: string }> {
  n++;
  const phone = `+861380000${String(n).padStart(3, '0')}1`;
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [shopFact(`rd-${n}`, { given_name: `Gx${n}`, surname: `Sx${n}`, phone })],
  });
  expect(sent.body.counts?.accepted, JSON.stringify(sent.body)).toBe(1);
  const id = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: `rd-${n}` }])).get(`shop/rd-${n}`)
    ?.subject as string;
  await ask(phone);
  const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
    role: 'person',
    name: `p${n}`,
    subject: id,
  });
  expect(issued.status).toBe(200);
  const record = (await w.api.ctx.app.store.identityRecordsOf(id))[0]?.recordId as string;
  return { id, record, token: issued.body.token, phone };
}

const ask = async (phone: string) => {
  const r = await w.call(
    'GET',
    `/v1/persons/${encodeURIComponent(phone)}/score?program=marketplace&purpose=tenancy`,
    w.keys.rp,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

const merge = (a: string, b: string) => mergeLogged(w, a, b);
const split = (record: string) => splitLogged(w, record);

/** `credence export SUBJECT --json`, run in this process (so its statements are seen). */
async function exported(subject: string): Promise<FileRead> {
  let text = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'credence', 'export', subject, '--json', '--db', w.db]);
    expect(code).toBe(0);
  } finally {
    write.mockRestore();
  }
  return JSON.parse(text);
}

/** The parts of a file (the API's copy, the export) both have. */
interface FileRead {
  subject: string;
  inquiries: { seq: number; what: string }[];
  identityDecisions: unknown[];
  tokens: { keyId: string }[];
}

/** Reads the file of `token` both ways; each reads the decision log once and they agree. */
async function readOnce(token: string): Promise<void> {
  let file = {} as FileRead;
  const api = await statements(async () => {
    const r = await w.call('GET', '/v1/me/file', token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    file = r.body;
  });
  expect(decisionReads(api)).toHaveLength(1);
  // The inquiry list, read on its own, is the file's.
  const list = await w.call('GET', '/v1/me/inquiries', token);
  expect(file.inquiries.map((i: { seq: number }) => i.seq)).toEqual(
    list.body.inquiries.map((i: { seq: number }) => i.seq),
  );
  let x = {} as FileRead;
  const cli = await statements(async () => {
    x = await exported(file.subject);
  });
  expect(decisionReads(cli)).toHaveLength(1);
  expect(x.inquiries.map((i: { what: string }) => i.what)).toEqual(
    file.inquiries.map((i: { what: string }) => i.what),
  );
  expect(x.identityDecisions).toEqual(file.identityDecisions);
  expect(x.tokens.map((t: { keyId: string }) => t.keyId)).toEqual(
    file.tokens.map((t: { keyId: string }) => t.keyId),
  );
}

describe("a person's file reads the identity decision log once", () => {
  it('with no decision about them', async () => {
    const a = await person();
    await readOnce(a.token);
  });

  it('across a merge, a split and a merge after it, for each token', async () => {
    const [c, a, b] = [await person(), await person(), await person()];
    const m = await merge(a.id, b.id);
    await ask(a.phone);
    for (const p of [a, b]) await readOnce(p.token);
    const absorbed = m.subjectId === a.id ? b : a;
    await split(absorbed.record);
    await ask(absorbed.phone);
    for (const p of [a, b]) await readOnce(p.token);
    await merge(m.subjectId, c.id);
    await ask(c.phone);
    for (const p of [a, b, c]) await readOnce(p.token);
  });
});
