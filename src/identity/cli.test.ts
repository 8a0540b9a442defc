import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These run the real `credence` binary over dist/ (built by the global test setup).
const BIN = join(process.cwd(), 'bin/credence.js');
const L1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
const L2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-identity-'));
  writeFileSync(
    join(dir, 'bank.csv'),
    'record_id,full_name,national_id,phone,shoe_size\n' +
      'b1,王伟,11010519491231002X,13800138000,42\n' +
      'b2,李娜,,13900139000,38\n' +
      'b3,"Zhang, Min",,,40\n',
  );
  writeFileSync(
    join(dir, 'shop.csv'),
    'record_id,given_name,surname,national_id,phone,colour\n' +
      's1,Wei,Wang,11010519491231002x,,red\n' +
      's2,Na,Li,,+86 139 0013 9000,blue\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence resolve', () => {
  it('prints record_id,subject_id for every record, linking across files, with one warning for unknown columns', () => {
    const r = run(['resolve', join(dir, 'bank.csv'), join(dir, 'shop.csv')]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('record_id,subject_id');
    const subject = new Map(lines.slice(1).map((l) => l.split(',') as [string, string]));
    expect([...subject.keys()].sort()).toEqual(['b1', 'b2', 'b3', 's1', 's2']);
    expect(subject.get('s1')).toBe(subject.get('b1'));
    expect(subject.get('s2')).toBe(subject.get('b2'));
    expect(new Set(subject.values()).size).toBe(3);
    // Person ids as ingest gives them: P and seven digits.
    for (const id of subject.values()) expect(id).toMatch(/^P\d{7}$/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/warning: .*shoe_size.*colour/);
  });

  it('refuses a file without record_id, naming it', () => {
    writeFileSync(join(dir, 'bad.csv'), 'full_name\n王伟\n');
    const r = run(['resolve', join(dir, 'bad.csv')]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('bad.csv');
    expect(r.err).toContain('record_id');
  });

  it('explains a link field by field', () => {
    const r = run([
      'explain-link',
      's1',
      '--records',
      join(dir, 'bank.csv'),
      join(dir, 'shop.csv'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out);
    expect(res).toMatchObject({ recordId: 's1', decision: 'deterministic', matchedRecordId: 'b1' });
    expect(res.evidence.find((e: { field: string }) => e.field === 'national_id').outcome).toBe('exact');
  });
});

describe('credence kyc mrz', () => {
  it('parses the ICAO specimen: every check digit valid, flagged expired', () => {
    const r = run(['kyc', 'mrz', L1, L2, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.valid).toBe(true);
    expect(j.expired).toBe(true);
    expect(j.checks.every((c: { valid: boolean }) => c.valid)).toBe(true);
    const human = execFileSync(process.execPath, [BIN, 'kyc', 'mrz', L1, L2], { encoding: 'utf8' });
    expect(human).toContain('EXPIRED');
    expect(human).toMatch(/composite\s+ok/);
  });

  it('exits non-zero on a corrupted document and names the failed check', () => {
    const bad = `${L2.slice(0, 19)}3${L2.slice(20)}`;
    const r = run(['kyc', 'mrz', L1, bad]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/birthDate\s+FAILED \(found 3, expected 2\)/);
    expect(r.err).toContain('Birth date check digit');
    expect(r.err).toContain('CREDENCE_E_ID_INVALID');
  });
});
