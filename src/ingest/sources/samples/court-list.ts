import { mixSeed, Prng } from '../../../generate/prng.js';
import { csvCell } from '../csv-reader.js';
import { residentAt } from './resident.js';

/** A court's name, its case-code abbreviation and province, as case codes print them. */
const COURTS = [
  ['荣成市人民法院', '鲁1082', '山东'],
  ['威海市环翠区人民法院', '鲁1002', '山东'],
  ['济南市历下区人民法院', '鲁0102', '山东'],
  ['北京市朝阳区人民法院', '京0105', '北京'],
  ['上海市徐汇区人民法院', '沪0104', '上海'],
  ['杭州市西湖区人民法院', '浙0106', '浙江'],
] as const;

/** DOMAIN: the listing grounds of the Supreme People's Court list, as the list words them. */
export const CONDUCTS = [
  '有履行能力而拒不履行生效法律文书确定义务',
  '以伪造证据、暴力、威胁等方法妨碍、抗拒执行',
  '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
  '违反财产报告制度',
  '违反限制消费令',
  '无正当理由拒不履行执行和解协议',
] as const;

const ORG_WORDS = ['贸易', '建材', '餐饮', '物流', '科技', '置业'];

export const COURT_LIST_COLUMNS = [
  'name',
  'sex',
  'age',
  'id_number',
  'id_number_full',
  'entity_type',
  'province',
  'court',
  'case_code',
  'registered_on',
  'published_on',
  'document_no',
  'document_issuer',
  'obligation',
  'performance',
  'performed_part',
  'unperformed_part',
  'conduct',
] as const;

export type CourtListRow = Record<(typeof COURT_LIST_COLUMNS)[number], string>;

export interface CourtListOptions {
  /** Entries of the first snapshot. */
  readonly rows: number;
  /** The population the listed people are drawn from (the same people `credence generate` makes). */
  readonly people: number;
  readonly seed?: number;
}

const DAY = 86_400_000;
/** The two snapshots' dates: the list as published at the end of June and of July 2026. */
export const SNAPSHOT_DATES = ['2026-06-30', '2026-07-31'] as const;

const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Masked as the list displays it: birth month and day hidden. */
export function maskId(id: string): string {
  return `${id.slice(0, 10)}****${id.slice(14)}`;
}

interface Fate {
  /** In version 2: removed (performed or term ended), updated (part performed), or unchanged. */
  readonly v2: 'removed' | 'updated' | 'same';
}

function fate(seed: number, k: number): Fate {
  const x = mixSeed(seed ^ 0x5bd1e995, k) % 100;
  return { v2: x < 8 ? 'removed' : x < 14 ? 'updated' : 'same' };
}

/**
 * Entry `k` of the court list as published in snapshot `version` (1 or 2), or undefined when the
 * entry is not on that snapshot. Pure: any entry can be rebuilt alone.
 */
export function courtListEntry(opts: CourtListOptions, k: number, version: 1 | 2): CourtListRow | undefined {
  const seed = opts.seed ?? 1;
  const isNew = k >= opts.rows;
  if (isNew && version === 1) return undefined;
  const f = fate(seed, k);
  if (!isNew && version === 2 && f.v2 === 'removed') return undefined;
  const r = new Prng(mixSeed(seed ^ 0x2545f491, k));
  const [courtName, courtCode, province] = COURTS[r.int(COURTS.length)] as (typeof COURTS)[number];
  const asOf = Date.parse(`${SNAPSHOT_DATES[isNew ? 1 : 0]}T00:00:00Z`);
  const registered = asOf - r.between(isNew ? 1 : 31, isNew ? 28 : 700) * DAY;
  const published = Math.min(registered + r.between(0, 3) * DAY, asOf);
  const year = new Date(registered).getUTCFullYear();
  const obligation = r.between(3, 400) * 1000;
  const performed = version === 2 && !isNew && f.v2 === 'updated' ? Math.round(obligation * 0.4) : 0;
  const conduct = CONDUCTS[r.weighted([60, 70, 80, 90, 96, 100])] as string;
  const org = r.chance(0.03);
  // The sequence number is the entry's own, so no two entries share a case code.
  const caseCode = `(${year})${courtCode}执${k + 1}号`;
  const base = {
    province,
    court: courtName,
    case_code: caseCode,
    registered_on: date(registered),
    published_on: date(published),
    document_no: `(${year - 1})${courtCode}民初${r.between(1, 9999)}号`,
    document_issuer: courtName,
    obligation: `支付申请执行人${obligation}元`,
    performance: performed > 0 ? '部分履行' : '全部未履行',
    performed_part: String(performed),
    unperformed_part: String(obligation - performed),
    conduct,
  };
  if (org) {
    return {
      ...base,
      name: `威海${r.pick(ORG_WORDS)}${r.pick(ORG_WORDS)}有限公司`,
      sex: '',
      age: '',
      id_number: `91371082MA${String(r.between(1000000, 9999999))}X`,
      id_number_full: '',
      entity_type: '法人',
    };
  }
  const p = residentAt(seed, mixSeed(seed, k) % opts.people, opts.people);
  const age = Math.floor((Date.parse(base.published_on) - Date.parse(p.dateOfBirth)) / (365.25 * DAY));
  return {
    ...base,
    name: p.surname.hanzi + p.givenName.hanzi,
    sex: p.sex === 'M' ? '男' : '女',
    age: String(age),
    id_number: maskId(p.nationalId),
    id_number_full: p.nationalId,
    entity_type: '自然人',
  };
}

const line = (cells: readonly string[]): string => cells.map((c) => csvCell(c)).join(',');

/**
 * The court list as published in snapshot `version`, as CSV lines (header first).
 *
 * @example
 * [...courtListSnapshot({ rows: 100, people: 1000 }, 1)].length // 101
 */
export function* courtListSnapshot(opts: CourtListOptions, version: 1 | 2): Generator<string> {
  yield COURT_LIST_COLUMNS.join(',');
  const total = version === 1 ? opts.rows : opts.rows + Math.ceil(opts.rows * 0.05);
  for (let k = 0; k < total; k++) {
    const e = courtListEntry(opts, k, version);
    if (e) yield line(COURT_LIST_COLUMNS.map((c) => e[c]));
  }
}

/**
 * The change from snapshot 1 to snapshot 2 as a delta file: `change` is `listed`, `updated` or
 * `removed`, `changed_on` its date.
 */
export function* courtListDelta(opts: CourtListOptions): Generator<string> {
  const seed = opts.seed ?? 1;
  yield [...COURT_LIST_COLUMNS, 'change', 'changed_on'].join(',');
  const v2 = Date.parse(`${SNAPSHOT_DATES[1]}T00:00:00Z`);
  for (let k = 0; k < opts.rows; k++) {
    const f = fate(seed, k);
    if (f.v2 === 'same') continue;
    const e = courtListEntry(opts, k, f.v2 === 'removed' ? 1 : 2) as CourtListRow;
    const on = date(v2 - (mixSeed(seed, k) % 20) * DAY);
    yield line([...COURT_LIST_COLUMNS.map((c) => e[c]), f.v2, on]);
  }
  const total = opts.rows + Math.ceil(opts.rows * 0.05);
  for (let k = opts.rows; k < total; k++) {
    const e = courtListEntry(opts, k, 2) as CourtListRow;
    yield line([...COURT_LIST_COLUMNS.map((c) => e[c]), 'listed', e.published_on]);
  }
}
