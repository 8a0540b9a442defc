import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { type PersonRecord, parsePersonCsv, resolveBatch } from '../../identity/index.js';

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Reads person-record CSV files; duplicate record ids across files are refused with both places. */
export function readPersonFiles(files: readonly string[]): PersonRecord[] {
  const records: PersonRecord[] = [];
  const where = new Map<string, string>();
  const unknown = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: ${(e as Error).message}`, { file });
    }
    const parsed = parsePersonCsv(text, file);
    for (const c of parsed.unknownColumns) unknown.add(c);
    parsed.records.forEach((r, i) => {
      const seen = where.get(r.record_id);
      if (seen) {
        throw new CredenceError(
          'CREDENCE_E_ROW_INVALID',
          `record_id ${r.record_id} appears twice (first in ${seen})`,
          {
            file,
            field: 'record_id',
          },
        );
      }
      where.set(r.record_id, `${file} row ${i + 1}`);
      records.push(r);
    });
  }
  if (unknown.size > 0) {
    process.stderr.write(
      `warning: ignoring columns that are not person-record fields: ${[...unknown].join(', ')}\n`,
    );
  }
  return records;
}

/**
 * `credence resolve FILE.csv...`: links and deduplicates person records from one or more CSV
 * files (canonical columns of DESIGN.md) and prints `record_id,subject_id`, one row per record;
 * records of the same person share `subject_id`.
 */
export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('Link and deduplicate person records from CSV files; prints record_id,subject_id')
    .argument('<files...>', 'CSV files with a header of person-record columns (record_id required)')
    .action((files: string[]) => {
      const records = readPersonFiles(files);
      const out: string[] = ['record_id,subject_id'];
      for (const r of resolveBatch(records, { evidence: false }))
        out.push(`${csvField(r.recordId)},${csvField(r.subjectId)}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
