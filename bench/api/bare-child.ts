/**
 * The baseline: a bare node:http server answering every request with a fixed JSON body of the size
 * of a score answer. Usage: node dist-bench/bench/api/bare-child.js PORT
 */
import { createServer } from 'node:http';
import { reportCpuOnSignal } from './child.js';

const body = JSON.stringify({
  subject: 'P0000001',
  program: 'marketplace',
  version: 1,
  asOf: '2026-11-01T00:00:00.000Z',
  status: 'scored',
  range: { min: 350, max: 950 },
  score: 633,
  tier: 'good',
  keyFactors: [{ code: 'M20', text: 'Late repayment', points: -12 }],
});
const port = Number(process.argv[2]);
createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(port, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`),
);
reportCpuOnSignal();
