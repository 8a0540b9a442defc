import type { ApiContext, ApiInstance } from '../context.js';
import { factsRoutes } from './furnisher/facts.js';
import { docsRoutes } from './meta/docs.js';
import { healthRoutes } from './meta/health.js';
import { homeRoutes } from './meta/home.js';
import { auditRoutes } from './operator/audit.js';
import { operatorDisputeRoutes } from './operator/disputes.js';
import { identityRoutes } from './operator/identity.js';
import { keyRoutes } from './operator/keys.js';
import { programRoutes } from './operator/programs.js';
import { consentRoutes } from './person/consent.js';
import { personDisputeRoutes } from './person/disputes.js';
import { fileRoutes } from './person/file.js';
import { personPageRoutes } from './person-page/routes.js';
import { onRoutePlainDigits } from './query-digits.js';
import { decisionRoutes } from './relying-party/decisions.js';
import { scoreRoutes } from './relying-party/score.js';
import { screenRoutes } from './relying-party/screen.js';

/** Every route, by role. The authorization matrix test walks this same list through /openapi.json. */
export function registerRoutes(app: ApiInstance, ctx: ApiContext): void {
  // Before any route, so each one's numeric query parameters are checked (query-digits.ts).
  app.addHook('onRoute', onRoutePlainDigits);
  homeRoutes(app, ctx);
  personPageRoutes(app, ctx);
  healthRoutes(app, ctx);
  docsRoutes(app, ctx);
  factsRoutes(app, ctx);
  scoreRoutes(app, ctx);
  decisionRoutes(app, ctx);
  screenRoutes(app, ctx);
  fileRoutes(app, ctx);
  consentRoutes(app, ctx);
  personDisputeRoutes(app, ctx);
  programRoutes(app, ctx);
  operatorDisputeRoutes(app, ctx);
  identityRoutes(app, ctx);
  keyRoutes(app, ctx);
  auditRoutes(app, ctx);
}
