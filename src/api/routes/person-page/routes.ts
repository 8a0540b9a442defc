import type { ApiContext, ApiInstance } from '../../context.js';
import { PAGE_CSS } from './page-css.js';
import { PAGE_HTML } from './page-html.js';
import { PAGE_SCRIPT } from './page-script.js';

// The page runs only its own module and style: with no inline script and no other origin allowed,
// a furnisher's text that slipped into the markup still could not run, and nothing leaves the
// server the person reached. `connect-src 'self'` is what lets the module call /v1/me.
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The scored person's page: GET /me (the HTML), its module and style sheet, and the programs'
 * scales and tiers it draws (a rulebook's public part; no person's data). The person's own data
 * comes from the /v1/me routes, with the key the person pastes in.
 */
export function personPageRoutes(app: ApiInstance, ctx: ApiContext): void {
  const hide = { schema: { hide: true } };
  app.get('/me', hide, async (_req, reply) =>
    reply
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(PAGE_HTML),
  );
  app.get('/me/page.js', hide, async (_req, reply) =>
    reply
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8')
      .send(PAGE_SCRIPT),
  );
  app.get('/me/page.css', hide, async (_req, reply) =>
    reply.header('x-content-type-options', 'nosniff').type('text/css; charset=utf-8').send(PAGE_CSS),
  );
  app.get('/me/programs.json', hide, async () => {
    const now = ctx.clock();
    const set = ctx.programs.current;
    return {
      programs: set.ids.flatMap((id) => {
        const rb = set.at(id, now);
        if (!rb) return [];
        return [
          {
            program: rb.program,
            name: rb.name,
            version: rb.version,
            enrollment: rb.enrollment,
            scale: rb.scale,
            tiers: rb.tiers.map((t) => ({ id: t.id, min: t.min })),
          },
        ];
      }),
    };
  });
}
