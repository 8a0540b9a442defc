import { CredenceError } from '../core/errors/index.js';
import { PERSON_FIELDS, type PersonRecord } from './types.js';

/** Parsed person records with the columns that were not canonical (ignored). */
export interface PersonCsv {
  records: PersonRecord[];
  unknownColumns: string[];
}

/**
 * Reads person records from CSV text (RFC 4180 quoting; spaces after a comma ignored).
 * The header names the columns; `record_id` is required.
 *
 * @example
 * parsePersonCsv('record_id,full_name\nr1,王伟\n').records // [{ record_id: 'r1', full_name: '王伟' }]
 */
export function parsePersonCsv(text: string, file = '<csv>'): PersonCsv {
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header)
    throw new CredenceError('CREDENCE_E_ROW_INVALID', 'the file is empty, expected a header', { file });
  const names = header.map((h) => h.trim().toLowerCase());
  const canonical = new Set<string>(PERSON_FIELDS);
  const idCol = names.indexOf('record_id');
  if (idCol < 0) {
    throw new CredenceError('CREDENCE_E_ROW_INVALID', 'the header has no record_id column', {
      file,
      line: 1,
    });
  }
  const unknownColumns = names.filter((n) => !canonical.has(n));
  const records: PersonRecord[] = [];
  rows.forEach((row, i) => {
    if (row.length === 1 && (row[0] ?? '').trim() === '') return;
    const rec: Record<string, string> = {};
    names.forEach((n, c) => {
      const v = (row[c] ?? '').trim();
      if (canonical.has(n) && v !== '') rec[n] = v;
    });
    if (!rec.record_id) {
      throw new CredenceError('CREDENCE_E_ROW_INVALID', 'record_id is empty', {
        file,
        line: i + 2,
        field: 'record_id',
      });
    }
    records.push(rec as unknown as PersonRecord);
  });
  return { records, unknownColumns };
}

/** Minimal RFC 4180 reader: quoted fields with doubled quotes and embedded newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
