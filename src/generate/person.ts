import { affine, assertBijective } from './affine.js';
import { type NamePart, pickGivenName, pickSurname } from './names.js';
import { foreignIdentity, type Passport } from './passport.js';
import { mixSeed, Prng } from './prng.js';
import { residentId } from './resident-id.js';

/** How much a person uses the operator's platforms. */
export type Engagement = 'heavy' | 'light' | 'dormant' | 'none';

/** One synthetic person: the truth behind the facts, which sources only ever see in part. */
export interface SyntheticPerson {
  readonly index: number;
  /** GB 11643 resident ID; foreign residents have none. */
  readonly nationalId?: string;
  /** Foreign residents only: they identify with a passport (DOMAIN: SIM cards and wallets need one). */
  readonly passport?: Passport;
  readonly sex: 'M' | 'F';
  /** ISO date, YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly surname: NamePart;
  readonly givenName: NamePart;
  /** +86 mobile in E.164. */
  readonly phone: string;
  /** Platform handles, one per platform (people pick different handles on different apps). */
  readonly handles: Readonly<Record<'pay' | 'shop' | 'food', string>>;
  readonly address: string;
  readonly engagement: Engagement;
}

// Areas of registration (GB/T 2260 codes). Rongcheng (371082) and Weihai are where the civic
// pilot runs; the rest are people who moved there or use the operator's platforms elsewhere.
const AREAS = [
  '371082', // Rongcheng, Weihai, Shandong
  '371002', // Huancui, Weihai
  '370102', // Lixia, Jinan
  '370202', // Shinan, Qingdao
  '110101', // Dongcheng, Beijing
  '110105', // Chaoyang, Beijing
  '120101', // Heping, Tianjin
  '310104', // Xuhui, Shanghai
  '320505', // Huqiu, Suzhou
  '330106', // Xihu, Hangzhou
  '350203', // Siming, Xiamen
  '350102', // Gulou, Fuzhou
  '410105', // Jinshui, Zhengzhou
  '420106', // Wuchang, Wuhan
  '430104', // Yuelu, Changsha
  '440106', // Tianhe, Guangzhou
  '440305', // Nanshan, Shenzhen
  '500103', // Yuzhong, Chongqing
  '510107', // Wuhou, Chengdu
  '610113', // Yanta, Xi'an
] as const;

// Mobile prefixes of the three carriers.
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '158',
  '159',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '199',
] as const;

const STREETS = [
  'Chengshan Rd',
  'Renmin Rd',
  'Xinhua St',
  'Binhai Rd',
  'Jianshe St',
  'Hebei Rd',
  'Shidao Rd',
];

const DAY_MS = 86_400_000;
const BIRTH_FIRST = Date.UTC(1950, 0, 1);
const BIRTH_DAYS = Math.round((Date.UTC(2006, 11, 31) - BIRTH_FIRST) / DAY_MS) + 1;
const SEQUENCES = 998; // sequence numbers 001-998: 499 odd (men), 499 even (women)
// Every (area, birth date, sequence) and every 8-digit mobile suffix is a slot; person i takes
// slot affine(i), a bijection, so identifiers are unique in a run without keeping a set.
const ID_SPACE = assertBijective(AREAS.length * BIRTH_DAYS * SEQUENCES);
const PHONE_SPACE = assertBijective(100_000_000);

/** How many people one seed can hold with unique phone numbers (and resident IDs). */
export const MAX_PEOPLE = PHONE_SPACE;

const FOREIGN_SHARE = 0.015;

const ENGAGEMENT_CUM = [0.2, 0.65, 0.85, 1] as const; // heavy 20%, light 45%, dormant 20%, none 15%

function engagementOf(r: Prng): Engagement {
  const x = r.next();
  if (x < ENGAGEMENT_CUM[0]) return 'heavy';
  if (x < ENGAGEMENT_CUM[1]) return 'light';
  if (x < ENGAGEMENT_CUM[2]) return 'dormant';
  return 'none';
}

function handle(r: Prng, p: { surname: NamePart; givenName: NamePart }, index: number): string {
  const s = p.surname.pinyin.toLowerCase().replace(/[^a-z]/g, '');
  const g = p.givenName.pinyin.toLowerCase().replace(/[^a-z]/g, '');
  const base = r.int(2) === 0 ? `${s}${g}` : `${g}_${s}`;
  // The index keeps handles unique per platform; the rest is what people type.
  return `${base}${index.toString(36)}${r.int(100)}`;
}

/**
 * Person `index` of the population of `seed`. Pure: the same arguments always give the same
 * person, whatever else is generated, so any slice of a population can be rebuilt alone.
 *
 * @example
 * makePerson(42, 0).nationalId // an 18-character GB 11643 ID with a valid check character
 */
export function makePerson(seed: number, index: number): SyntheticPerson {
  const r = new Prng(mixSeed(seed, index));
  const slot = affine(index, mixSeed(seed, 0x1d) * 7919, ID_SPACE);
  const seqIdx = slot % SEQUENCES;
  const dayIdx = Math.floor(slot / SEQUENCES) % BIRTH_DAYS;
  const areaIdx = Math.floor(slot / SEQUENCES / BIRTH_DAYS);
  const sequence = seqIdx + 1;
  const male = sequence % 2 === 1;
  const dob = new Date(BIRTH_FIRST + dayIdx * DAY_MS).toISOString().slice(0, 10);

  const phoneSlot = affine(index, mixSeed(seed, 0x9e), PHONE_SPACE);
  const phone = `+86${r.pick(MOBILE_PREFIXES)}${String(phoneSlot).padStart(8, '0')}`;

  // About 1.5% are foreign residents: passport instead of resident ID, Latin names throughout.
  const foreign = r.chance(FOREIGN_SHARE)
    ? foreignIdentity(r, index, mixSeed(seed, 0x7a), male, dob)
    : undefined;
  const surname = foreign?.surname ?? pickSurname(r);
  const givenName = foreign?.givenName ?? pickGivenName(r, male);
  const names = { surname, givenName };
  const ids = foreign
    ? { passport: foreign.passport }
    : { nationalId: residentId(AREAS[areaIdx] as string, dob.replaceAll('-', ''), sequence) };
  return {
    index,
    ...ids,
    sex: male ? 'M' : 'F',
    dateOfBirth: dob,
    surname,
    givenName,
    phone,
    handles: { pay: handle(r, names, index), shop: handle(r, names, index), food: handle(r, names, index) },
    address: `${r.between(1, 180)} ${r.pick(STREETS)}, Bldg ${r.between(1, 30)}, Rm ${r.between(1, 6)}0${r.between(1, 4)}, Rongcheng`,
    engagement: engagementOf(r),
  };
}
