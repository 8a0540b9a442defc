// The pure core: no I/O, no clock (time is an argument), no database, no driver imports.
export * from './consent/index.js';
export * from './errors/index.js';
export * from './facts/fact.js';
export * from './rulebook/index.js';
export * from './scoring/index.js';
export * from './time/index.js';
