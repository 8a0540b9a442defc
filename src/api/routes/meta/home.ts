import type { ApiContext, ApiInstance } from '../../context.js';

// The URL `credence serve` prints should answer a person who opens it: a short page that says
// what this is and where the documentation, the description and the health check are.
const PAGE = (programs: readonly string[], base: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Credence</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .25rem;overflow-wrap:anywhere}</style></head>
<body><h1>Credence</h1>
<p>An open, accountable trust-scoring service. Every score shows its points, their sources and rules;
every inquiry is logged for the person it is about; people can dispute a fact and opt out for real.</p>
<p>If you are a person Credence scores: <a href="/me">open your page</a> and paste the person key the
operator gives you there. It shows your score in a picture and in plain words, every point of it,
who looked at your data, and lets you dispute a fact, opt out and download your whole file.</p>
<p>For programs: with the person key, you can read
<a href="/docs#tag-person">your own file</a> (every point with its fact, source and rule; every inquiry:
who asked, when and why), dispute a fact, and opt out.</p>
${personRoutes(programs[0] ?? 'PROGRAM', base)}
<ul>
<li><a href="/docs">API documentation</a> — every route, who may call it and why</li>
<li><a href="/openapi.json">OpenAPI 3.1 description</a></li>
<li><a href="/health">Health</a> — programs loaded: ${programs.map((p) => `<code>${p.replace(/[<>&"]/g, '')}</code>`).join(', ') || 'none'}</li>
</ul></body></html>`;

/**
 * How a person starts: the key goes in a header, which a browser does not send, and each address
 * with what it answers in words (a route's JSON schema in /docs does not say it to a non-expert).
 * Shown for one program; the list below names every program the server runs.
 */
function personRoutes(program: string, base: string): string {
  const p = program.replace(/[<>&"]/g, '');
  const at = base.replace(/[<>&"'\s]/g, '');
  const route = (r: string, what: string) => `<li><code>${r}</code> — ${what}</li>`;
  return `<p>Send the key with each request in the header <code>Authorization: Bearer YOUR_KEY</code>,
for example <code>curl -H "Authorization: Bearer YOUR_KEY" ${at}/v1/me/explanations/${p}</code>
(a browser's address bar cannot send it). What each address answers:</p>
<ul>
${route(`GET /v1/me/scores/${p}`, 'your score in this program, or why there is none')}
${route(`GET /v1/me/explanations/${p}`, 'every point of your score: the fact it comes from, who sent it and when, and the rule, in words')}
${route('GET /v1/me/inquiries', 'everyone who asked about you: who, when, for what purpose, and what they were told')}
${route('GET /v1/me/file', 'a free copy of everything held about you')}
${route('GET /v1/me/disputes', 'your disputes and the date each must be answered by')}
${route('POST /v1/me/disputes', 'dispute a fact of your file, with <code>{"source": …, "factId": …, "reason": …}</code> (the fact as your file lists it)')}
${route('POST /v1/me/consent', `opt out of a program, or back in, with <code>{"program": "${p}", "action": "opt-out"}</code> (or <code>"opt-in"</code>)`)}
</ul>`;
}

/** GET / — a landing page pointing at the docs. */
export function homeRoutes(app: ApiInstance, ctx: ApiContext): void {
  // The address as the person reached it (behind a trusted proxy, as forwarded), for the example.
  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(PAGE(ctx.programs.current.ids, `${req.protocol}://${req.host}`)),
  );
}
