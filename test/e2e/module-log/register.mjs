// Loaded with `node --import` by startup-modules.test.ts: records every module a command resolves.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url), { data: { log: process.env.CREDENCE_MODULE_LOG } });
