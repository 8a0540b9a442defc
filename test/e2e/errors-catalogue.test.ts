import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/core/errors/index.js';
import { ROOT, runCli } from './cli.js';

const DOC = join(ROOT, 'docs/errors.md');

interface DocRow {
  code: string;
  exit: number;
  status: number;
  message: string;
}

function docRows(): DocRow[] {
  const rows: DocRow[] = [];
  for (const l of readFileSync(DOC, 'utf8').split('\n')) {
    const cells = l.split('|').map((c) => c.trim());
    const code = /^`(CREDENCE_E_[A-Z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (code) rows.push({ code, exit: Number(cells[2]), status: Number(cells[3]), message: cells[4] ?? '' });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the error catalogue, docs/errors.md and the code agree', () => {
  it('documents every catalogued code with its exit code, HTTP status and message', () => {
    const rows = new Map(docRows().map((r) => [r.code, r]));
    const missing = Object.keys(errorCatalogue).filter((c) => !rows.has(c));
    expect(missing, 'codes missing from docs/errors.md').toEqual([]);
    for (const [code, e] of Object.entries(errorCatalogue)) {
      expect(rows.get(code), code).toEqual({ code, exit: e.exit, status: e.status, message: e.message });
    }
  });

  it('documents no code the catalogue lacks, and lists each once', () => {
    const codes = docRows().map((r) => r.code);
    expect(codes.filter((c) => !(c in errorCatalogue))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('every code named in the source is catalogued', () => {
    const unknown = new Set<string>();
    for (const f of sourceFiles(join(ROOT, 'src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/CREDENCE_E_[A-Z_]*[A-Z]\b(?!_)/g)) {
        if (!(m[0] in errorCatalogue)) unknown.add(`${m[0]} (${f.slice(ROOT.length + 1)})`);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('the real binary exits with the catalogue exit code and names the code', () => {
    const r = runCli(['score', 'P0000001', '--program', 'x', '--db', join(ROOT, 'no-such-dir', 'none.db')]);
    expect(r.code).toBe(errorCatalogue.CREDENCE_E_DB.exit);
    expect(r.stderr).toMatch(/^error: no database at .*\n {2}\[CREDENCE_E_DB\]\n$/);
  });

  it('every command that reads a database says the same when there is none, and what to run', () => {
    // `credence audit verify|list` said "cannot open the audit log in …: unable to open database file".
    const db = join(ROOT, 'no-such-dir', 'none.db');
    for (const args of [
      ['audit', 'verify', '--db', db],
      ['audit', 'list', '--db', db],
      ['export', 'P0000001', '--db', db],
      ['serve', '--db', db, '--port', '0'],
    ]) {
      const r = runCli(args);
      expect([args[0], r.code]).toEqual([args[0], errorCatalogue.CREDENCE_E_DB.exit]);
      expect(r.stderr).toBe(
        `error: no database at ${db} (run \`credence init --db ${db}\` first)\n  [CREDENCE_E_DB]\n`,
      );
    }
  });
});
