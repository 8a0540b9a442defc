import type { Command } from 'commander';
import { registerGenerate } from './generate.js';

/** Registers every `credence` command; each command lives in its own file beside this one. */
export function registerAll(program: Command): void {
  registerGenerate(program);
}
