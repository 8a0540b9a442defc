import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteNativeBinding } from './native-binding.js';

describe('sqliteNativeBinding', () => {
  it('is the addon better-sqlite3 would load by itself (through bindings)', () => {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('better-sqlite3/package.json');
    const bindings = createRequire(packageJson)('bindings') as (o: object) => string;
    const own = bindings({ bindings: 'better_sqlite3.node', module_root: dirname(packageJson), path: true });
    expect(sqliteNativeBinding()).toBe(own);
  });

  it('opens a database', () => {
    const db = new Database(':memory:', { nativeBinding: sqliteNativeBinding() });
    expect(db.prepare('SELECT 1 + 1 AS n').get()).toEqual({ n: 2 });
    db.close();
  });
});
