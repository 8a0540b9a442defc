import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CITY_CIVIC, line, makeWorld, type World } from '../e2e/cli.js';

/** The court list's published columns, in the shipped mapping's names. */
export const COURT_HEADER =
  'name,sex,age,id_number,id_number_full,entity_type,province,court,case_code,registered_on,published_on,document_no,document_issuer,obligation,performance,performed_part,unperformed_part,conduct';

export const ALICE_ID = '11010519491231002X';
export const BOB_ID = '110101199003074514';

export interface Entry {
  readonly name: string;
  readonly sex: string;
  readonly id: string;
  readonly court: string;
  readonly caseCode: string;
  readonly registered: string;
  readonly performance?: string;
  readonly entity?: string;
}

/** The ID number as the list publishes it: the month and day of birth masked. */
export const maskedId = (id: string): string => (id ? `${id.slice(0, 10)}****${id.slice(14)}` : '');

/** The id of an entry's fact (the shipped mapping keys an entry by court, case code, published ID). */
export const entryFactId = (e: Entry, what: string): string =>
  `${e.court}|${e.caseCode}|${maskedId(e.id)}#${what}`;

export function courtRow(e: Entry, extra: readonly string[] = []): string {
  const masked = maskedId(e.id);
  return [
    e.name,
    e.sex,
    '40',
    masked,
    e.id,
    e.entity ?? '自然人',
    '山东',
    e.court,
    e.caseCode,
    e.registered,
    e.registered,
    '(2023)鲁1082民初1号',
    e.court,
    '支付申请执行人1000元',
    e.performance ?? '全部未履行',
    '0',
    '1000',
    '有履行能力而拒不履行生效法律文书确定义务',
    ...extra,
  ].join(',');
}

export const ALICE_CASE: Entry = {
  name: '王丽',
  sex: '女',
  id: ALICE_ID,
  court: '荣成市人民法院',
  caseCode: '(2025)鲁1082执100号',
  registered: '2025-03-01',
};
export const BOB_CASE: Entry = {
  name: '张伟',
  sex: '男',
  id: BOB_ID,
  court: '荣成市人民法院',
  caseCode: '(2025)鲁1082执200号',
  registered: '2025-04-01',
};

/** A world with city-civic loaded and Alice and Bob opted in (the program is opt-in). */
export function courtWorld(): World {
  const w = makeWorld({ programs: [CITY_CIVIC] });
  const optIn = (id: string, nid: string): string =>
    line({
      id,
      source: 'city-civic-enrolment',
      type: 'credence.opt_in',
      occurredAt: '2024-01-01T00:00:00Z',
      subject: { national_id: nid },
      data: { program: 'city-civic' },
    });
  const r = w.run(['ingest', '-'], { input: `${optIn('e1', ALICE_ID)}\n${optIn('e2', BOB_ID)}\n` });
  if (r.code !== 0) throw new Error(r.stderr);
  return w;
}

export function writeCsv(w: World, name: string, lines: readonly string[]): string {
  const path = join(w.dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Imports a court-list snapshot of `rows` (the header added) as of `asOf`; its JSON report. */
export function importSnapshot<T = Record<string, unknown>>(
  w: World,
  name: string,
  rows: readonly string[],
  asOf: string,
): T {
  return w.json<T>(['import', 'court', writeCsv(w, name, [COURT_HEADER, ...rows]), '--as-of', asOf]);
}

export interface ScoreView {
  status: string;
  flags: string[];
  restrictions: Record<string, boolean>;
}

export function scoreOf(w: World, nid: string, asOf: string): ScoreView {
  return w.json<ScoreView>(['score', nid, '--program', 'city-civic', '--as-of', asOf]);
}
