export * from './auth/index.js';
export type { ApiContext, ApiInstance, IdentityReview, RouteAuth } from './context.js';
export { type DemoKeys, issueDemoKeys } from './demo-keys.js';
export { errorBody, REFUSAL_CODES, toHttpError } from './errors.js';
export { type OpenedApi, openApi } from './open-api.js';
export { parseTrustProxy, type ServeOptions, type Serving, serveApi } from './serve.js';
export { type ApiDeps, BODY_LIMIT, buildApi, type TrustProxy } from './server.js';
export { openApiDb } from './sqlite/api-db.js';
