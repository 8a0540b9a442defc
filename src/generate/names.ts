import { cumulative, type Prng } from './prng.js';

/** A name part in characters and in pinyin (no tones, as sources send it). */
export interface NamePart {
  readonly hanzi: string;
  readonly pinyin: string;
}

// The most common surnames with rough shares (percent of the population): Wang, Li and Zhang alone
// cover a fifth of people, which is what makes matching by name alone unsafe. 徐 and 许 are both
// "Xu": two families that look the same in pinyin.
const SURNAMES: ReadonlyArray<readonly [string, string, number]> = [
  ['王', 'Wang', 7.1],
  ['李', 'Li', 7.0],
  ['张', 'Zhang', 6.7],
  ['刘', 'Liu', 5.4],
  ['陈', 'Chen', 4.5],
  ['杨', 'Yang', 3.1],
  ['黄', 'Huang', 2.2],
  ['赵', 'Zhao', 2.0],
  ['吴', 'Wu', 2.0],
  ['周', 'Zhou', 1.9],
  ['徐', 'Xu', 1.3],
  ['孙', 'Sun', 1.2],
  ['马', 'Ma', 1.1],
  ['朱', 'Zhu', 1.1],
  ['胡', 'Hu', 1.0],
  ['郭', 'Guo', 0.9],
  ['何', 'He', 0.9],
  ['高', 'Gao', 0.8],
  ['林', 'Lin', 0.8],
  ['罗', 'Luo', 0.8],
  ['郑', 'Zheng', 0.7],
  ['梁', 'Liang', 0.7],
  ['谢', 'Xie', 0.6],
  ['宋', 'Song', 0.5],
  ['唐', 'Tang', 0.5],
  ['许', 'Xu', 0.5],
  ['韩', 'Han', 0.5],
  ['冯', 'Feng', 0.4],
  ['邓', 'Deng', 0.4],
  ['曹', 'Cao', 0.4],
];

// Given names, most common first; weights fall off like Zipf's law with the head boosted, so
// "Wang Wei" and "Li Na" are as common as they are in life.
const MALE: ReadonlyArray<readonly [string, string]> = [
  ['伟', 'Wei'],
  ['强', 'Qiang'],
  ['磊', 'Lei'],
  ['军', 'Jun'],
  ['勇', 'Yong'],
  ['杰', 'Jie'],
  ['涛', 'Tao'],
  ['明', 'Ming'],
  ['超', 'Chao'],
  ['刚', 'Gang'],
  ['平', 'Ping'],
  ['辉', 'Hui'],
  ['鹏', 'Peng'],
  ['华', 'Hua'],
  ['飞', 'Fei'],
  ['建华', 'Jianhua'],
  ['建国', 'Jianguo'],
  ['志强', 'Zhiqiang'],
  ['俊杰', 'Junjie'],
  ['浩然', 'Haoran'],
  ['子轩', 'Zixuan'],
  ['宇航', 'Yuhang'],
  ['文博', 'Wenbo'],
  ['海涛', 'Haitao'],
];
const FEMALE: ReadonlyArray<readonly [string, string]> = [
  ['娜', 'Na'],
  ['静', 'Jing'],
  ['敏', 'Min'],
  ['丽', 'Li'],
  ['艳', 'Yan'],
  ['芳', 'Fang'],
  ['秀英', 'Xiuying'],
  ['娟', 'Juan'],
  ['霞', 'Xia'],
  ['玲', 'Ling'],
  ['桂英', 'Guiying'],
  ['丹', 'Dan'],
  ['萍', 'Ping'],
  ['红', 'Hong'],
  ['婷', 'Ting'],
  ['雪', 'Xue'],
  ['欣怡', 'Xinyi'],
  ['梓涵', 'Zihan'],
  ['雨萱', 'Yuxuan'],
  ['佳怡', 'Jiayi'],
];

const zipf = (n: number): number[] => Array.from({ length: n }, (_, i) => (i === 0 ? 3 : 1) / (i + 1) ** 1.1);

const SURNAME_CUM = cumulative(SURNAMES.map((s) => s[2]));
const MALE_CUM = cumulative(zipf(MALE.length));
const FEMALE_CUM = cumulative(zipf(FEMALE.length));

const part = (e: readonly [string, string, ...unknown[]]): NamePart => ({ hanzi: e[0], pinyin: e[1] });

/** Every surname and given name the generator uses (for tests and documentation). */
export const NAME_TABLES = {
  surnames: SURNAMES.map(part),
  male: MALE.map(part),
  female: FEMALE.map(part),
} as const;

export function pickSurname(r: Prng): NamePart {
  return NAME_TABLES.surnames[r.weighted(SURNAME_CUM)] as NamePart;
}

export function pickGivenName(r: Prng, male: boolean): NamePart {
  return male
    ? (NAME_TABLES.male[r.weighted(MALE_CUM)] as NamePart)
    : (NAME_TABLES.female[r.weighted(FEMALE_CUM)] as NamePart);
}

const VOWELS = 'aeiou';

/**
 * A keying error as a clerk or a user makes it: a letter dropped, doubled, swapped with its
 * neighbour, or a vowel replaced. Always differs from the input for names of two letters or more.
 *
 * @example
 * typo(new Prng(1), 'Zhang') // e.g. 'Zhnag'
 */
export function typo(r: Prng, name: string): string {
  if (name.length < 2) return name + name;
  const i = r.int(name.length - 1) + 1; // keep the initial, which people rarely get wrong
  const kind = r.int(4);
  const ch = name[i] as string;
  if (kind === 0 && name.length > 2) return name.slice(0, i) + name.slice(i + 1);
  if (kind === 1) return name.slice(0, i) + ch + name.slice(i);
  if (kind === 2 && i < name.length - 1 && name[i + 1] !== ch) {
    return name.slice(0, i) + name[i + 1] + ch + name.slice(i + 2);
  }
  // A vowel becomes another vowel; a consonant becomes 'a': either way the letter changes.
  const vowel = VOWELS.includes(ch) ? VOWELS[(VOWELS.indexOf(ch) + 1 + r.int(4)) % 5] : 'a';
  return name.slice(0, i) + vowel + name.slice(i + 1);
}
