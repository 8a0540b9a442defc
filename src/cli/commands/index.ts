import type { Command } from 'commander';
import { registerExplainLink } from './explain-link.js';
import { registerGenerate } from './generate.js';
import { registerKyc } from './kyc.js';
import { registerResolve } from './resolve.js';

/** Registers every `credence` command; each command lives in its own file beside this one. */
export function registerAll(program: Command): void {
  registerGenerate(program);
  registerResolve(program);
  registerKyc(program);
  registerExplainLink(program);
}
