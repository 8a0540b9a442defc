import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerConsent } from './consent.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerExplainLink } from './explain-link.js';
import { registerExport } from './export.js';
import { registerGenerate } from './generate.js';
import { explainLinkFromDb, registerIdentity } from './identity.js';
import { registerImport } from './import.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerKyc } from './kyc.js';
import { registerProgram } from './program.js';
import { registerPurge } from './purge.js';
import { registerRebuild } from './rebuild.js';
import { registerResolve } from './resolve.js';
import { registerScore } from './score.js';
import { registerScreen } from './screen.js';
import { registerServe } from './serve.js';

/** Registers every `credence` command; each command lives in its own file beside this one. */
export function registerAll(program: Command): void {
  registerInit(program);
  registerProgram(program);
  registerIngest(program);
  registerImport(program);
  registerPurge(program);
  registerScreen(program);
  registerScore(program);
  registerExplain(program);
  registerConsent(program);
  registerExport(program);
  registerRebuild(program);
  registerDemo(program);
  registerGenerate(program);
  registerResolve(program);
  registerKyc(program);
  registerExplainLink(program, explainLinkFromDb);
  registerIdentity(program);
  registerServe(program);
  registerAudit(program);
}
