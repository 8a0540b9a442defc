import type { ApiContext, ApiInstance } from '../../context.js';

// The URL `credence serve` prints should answer a person who opens it: a short page that says
// what this is and where the documentation, the description and the health check are.
const PAGE = (programs: readonly string[]) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Credence</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .25rem;overflow-wrap:anywhere}</style></head>
<body><h1>Credence</h1>
<p>An open, accountable trust-scoring service. Every score shows its points, their sources and rules;
every inquiry is logged for the person it is about; people can dispute a fact and opt out for real.</p>
<p>If you are a person Credence scores: with the person key the operator gives you, you can read
<a href="/docs#tag-person">your own file</a> (every point with its fact, source and rule; every inquiry:
who asked, when and why), dispute a fact, and opt out.</p>
<ul>
<li><a href="/docs">API documentation</a> — every route, who may call it and why</li>
<li><a href="/openapi.json">OpenAPI 3.1 description</a></li>
<li><a href="/health">Health</a> — programs loaded: ${programs.map((p) => `<code>${p.replace(/[<>&"]/g, '')}</code>`).join(', ') || 'none'}</li>
</ul></body></html>`;

/** GET / — a landing page pointing at the docs. */
export function homeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE(ctx.programs.current.ids)),
  );
}
