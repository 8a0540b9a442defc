import { pinyin } from 'pinyin-pro';
import { mulberry32 } from '../match/em.js';
import type { PersonRecord } from '../types.js';
import { residentIdCheckChar } from '../validate/resident-id.js';

/** A generated record with the person it truly belongs to. */
export interface SyntheticRecord {
  record: PersonRecord;
  person: number;
}

export interface ChinesePeopleOptions {
  persons: number;
  seed?: number;
  /** Share of persons who have a twin (same surname, birth date and address). */
  twins?: number;
  /** Share of persons named 王伟 (Wang Wei). */
  wangWei?: number;
  /** Largest number of records a person gets (1..max, uniform). */
  maxRecords?: number;
  /** Include court-list records with masked IDs (they go to review, so F1 sets leave them out). */
  masked?: boolean;
}

// Surnames roughly by frequency, so common ones dominate as they do in China.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN_CHARS =
  '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红飞波宁欣宇浩然子涵梓轩雨晨思博文彬斌俊鑫凯佳琳慧颖昊天泽瑞晓亮峰海燕雪梅春';
const AREAS = [
  '110105',
  '310104',
  '440106',
  '510107',
  '330106',
  '320102',
  '420102',
  '610113',
  '370102',
  '500103',
];
const CITIES = [
  '北京市朝阳区',
  '上海市徐汇区',
  '广州市天河区',
  '成都市武侯区',
  '杭州市西湖区',
  '南京市玄武区',
  '武汉市江岸区',
];
const STREETS = [
  '建国路',
  '人民路',
  '解放路',
  '中山路',
  '和平街',
  '长安街',
  '东风路',
  '光明路',
  '新华路',
  '滨江路',
];
const PLATFORMS = ['taobao', 'wechat', 'alipay', 'jd'];
const WADE_GILES: Record<string, string> = {
  zhang: 'chang',
  zhou: 'chou',
  zhao: 'chao',
  xu: 'hsu',
  cai: 'tsai',
};

/**
 * Generates person records in a Chinese context with the hard cases of identity resolution:
 * twins sharing surname, address and birth date; many people called 王伟; names in characters,
 * pinyin, swapped order and spelling variants; changed phone numbers; mistyped ID digits.
 * Deterministic for a seed.
 *
 * @example
 * const data = generateChinesePeople({ persons: 1000, seed: 7 });
 */
export function generateChinesePeople(opts: ChinesePeopleOptions): SyntheticRecord[] {
  const rand = mulberry32(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const chance = (p: number) => rand() < p;
  const surnamePick = () => SURNAMES[Math.floor(SURNAMES.length * rand() ** 2.2)] as string;
  const out: SyntheticRecord[] = [];
  const usedIds = new Set<string>();
  const maxRecords = opts.maxRecords ?? 4;

  const residentId = (dob: string, male: boolean, area: string): string => {
    for (;;) {
      let seq = Math.floor(rand() * 500) * 2 + (male ? 1 : 0);
      seq = seq % 1000;
      const body = area + dob + String(seq).padStart(3, '0');
      const id = body + residentIdCheckChar(body);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const phone = () =>
    `+86${pick(['138', '139', '150', '186', '177', '135'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
  const dobOf = () => {
    const y = 1950 + Math.floor(rand() * 55);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  };

  interface Person {
    surname: string;
    given: string;
    dob: string;
    male: boolean;
    id: string;
    phones: string[];
    email: string;
    address: string;
    account: string;
  }
  const people: Person[] = [];
  const makePerson = (base?: Person): Person => {
    const wangWei = !base && chance(opts.wangWei ?? 0.03);
    const surname = base ? base.surname : wangWei ? '王' : surnamePick();
    let given = wangWei ? '伟' : pick<string>(GIVEN_CHARS) + (chance(0.6) ? pick<string>(GIVEN_CHARS) : '');
    if (base) while (given === base.given) given = pick<string>(GIVEN_CHARS) + pick<string>(GIVEN_CHARS);
    const male = chance(0.5);
    const dob = base ? base.dob : dobOf();
    const area = base ? base.id.slice(0, 6) : pick(AREAS);
    const py = (s: string) => pinyin(s, { toneType: 'none', type: 'array', v: true }).join('');
    const handle = `${py(given)}${py(surname)}${Math.floor(rand() * 10000)}`;
    return {
      surname,
      given,
      dob,
      male,
      id: residentId(dob, male, area),
      phones: [phone()],
      email: `${handle}@${pick(['qq.com', '163.com', 'sina.com', 'gmail.com'])}`,
      address: base ? base.address : `${pick(CITIES)}${pick(STREETS)}${1 + Math.floor(rand() * 200)}号`,
      account: `${pick(PLATFORMS)}:${handle}`,
    };
  };
  for (let i = 0; i < opts.persons; i++) {
    const prev = people[people.length - 1];
    const twin = prev && !people[people.length - 2]?.address.startsWith('twin') && chance(opts.twins ?? 0.05);
    const p = twin ? makePerson(prev) : makePerson();
    if (chance(0.25)) p.phones.push(phone()); // the number changed
    people.push(p);
  }

  const latinName = (p: Person) => {
    let sn = pinyin(p.surname, { toneType: 'none', surname: 'head', v: true }).replace(/\s+/g, '');
    let gv = pinyin(p.given, { toneType: 'none', type: 'array', v: true });
    if (chance(0.1) && WADE_GILES[sn]) sn = WADE_GILES[sn] as string;
    if (sn === 'lv' && chance(0.5)) sn = pick(['lyu', 'lu', 'lü']);
    const joined = chance(0.3) ? gv.join(' ') : chance(0.3) ? gv.join('-') : gv.join('');
    gv = [joined];
    const cap = (s: string) => (chance(0.5) ? s.toUpperCase() : s.charAt(0).toUpperCase() + s.slice(1));
    return { given: cap(gv[0] as string), surname: cap(sn) };
  };
  const mistype = (id: string) => {
    const pos = Math.floor(rand() * 17);
    const d = (Number(id[pos]) + 1 + Math.floor(rand() * 8)) % 10;
    return id.slice(0, pos) + d + id.slice(pos + 1);
  };

  people.forEach((p, person) => {
    const n = 1 + Math.floor(rand() * maxRecords);
    for (let k = 0; k < n; k++) {
      const r: PersonRecord = { record_id: `r${out.length}` };
      const kind = pick(['bank', 'shop', 'telecom', 'court', 'shop']);
      const han = chance(0.5);
      if (han) r.full_name = chance(0.1) ? `${p.surname} ${p.given}` : p.surname + p.given;
      else {
        const l = latinName(p);
        if (chance(0.3)) r.full_name = chance(0.5) ? `${l.surname} ${l.given}` : `${l.given} ${l.surname}`;
        else if (chance(0.1)) {
          r.given_name = l.surname; // filled the wrong way round
          r.surname = l.given;
        } else {
          r.given_name = l.given;
          r.surname = l.surname;
        }
      }
      const dob = chance(0.5) ? p.dob : `${p.dob.slice(0, 4)}-${p.dob.slice(4, 6)}-${p.dob.slice(6)}`;
      const ph = chance(0.5) ? (p.phones[0] as string) : (p.phones[p.phones.length - 1] as string);
      const phoneText = chance(0.5) ? ph : `${ph.slice(3, 6)} ${ph.slice(6, 10)} ${ph.slice(10)}`;
      const id = chance(0.08) ? mistype(p.id) : p.id;
      if (kind === 'bank') {
        r.national_id = id;
        r.date_of_birth = dob;
        r.phone = phoneText;
        r.sex = p.male ? 'M' : 'F';
      } else if (kind === 'shop') {
        // A shop knows a phone or a birth date besides its own account, e-mail and address.
        const withPhone = chance(0.8);
        if (withPhone) r.phone = phoneText;
        if (!withPhone || chance(0.4)) r.date_of_birth = dob;
        r.email = chance(0.1) ? p.email.replace('@', '+shop@') : p.email;
        r.address = p.address;
        r.account = p.account;
      } else if (kind === 'telecom') {
        r.national_id = id;
        r.phone = phoneText;
        if (chance(0.5)) r.address = p.address;
      } else {
        r.national_id = opts.masked && chance(0.5) ? `${p.id.slice(0, 10)}****${p.id.slice(14)}` : id;
        r.sex = p.male ? '男' : '女';
        r.date_of_birth = dob;
      }
      out.push({ record: r, person });
    }
  });
  return out;
}
