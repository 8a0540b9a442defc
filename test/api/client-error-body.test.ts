import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A request Node's HTTP parser refuses never reaches a route: Fastify answered it itself with
// `{"error":"Bad Request","message":"Client Error","statusCode":400}`, `error` a string where every
// other refusal has `{code, message, details}`, naming nothing. A URL or headers over Node's limit
// were told "Exceeded maximum allowed HTTP header size" (a long query string too, which is no header).
let w: ApiWorld;
let port = 0;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
  await w.api.server.listen({ port: 0, host: '127.0.0.1' });
  port = (w.api.server.server.address() as { port: number }).port;
});
afterAll(async () => w.dispose());

/** What the server answers to these bytes, read until it closes the connection. */
function raw(bytes: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0);
      resolve({ status, body: got.slice(got.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('a request the HTTP parser refuses', () => {
  it('is answered with the catalogue body, naming what is wrong and where', async () => {
    for (const [bytes, status, code, path] of [
      ['GET /v1/keys HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'CREDENCE_E_USAGE', 'headers'],
      ['GARBAGE\r\n\r\n', 400, 'CREDENCE_E_USAGE', 'method'],
      [
        'POST /v1/keys HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n',
        400,
        'CREDENCE_E_USAGE',
        'headers',
      ],
      [
        `GET /v1/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'CREDENCE_E_TOO_LARGE',
        'headers',
      ],
      [
        `GET /v1/keys?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        431,
        'CREDENCE_E_TOO_LARGE',
        'url',
      ],
    ] as const) {
      const r = await raw(bytes);
      const label = bytes.slice(0, 40);
      expect([label, r.status]).toEqual([label, status]);
      const body = JSON.parse(r.body);
      expect(body.error.code).toBe(code);
      expect(body.error.details).toEqual([expect.objectContaining({ code, path })]);
      expect(body.error.message.length).toBeGreaterThan(20);
    }
  });

  it('says how large the head may be when it is over', async () => {
    const r = await raw(`GET /v1/keys?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(JSON.parse(r.body).error.message).toMatch(/\d+ KiB/);
  });
});
