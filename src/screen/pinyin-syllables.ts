// Every toneless pinyin syllable, by initial: the syllables of the standard table (ü written v,
// and lüe, nüe also as lue, nue). Only these: an initial and a final that pinyin never joins
// (`rin`, `xan`, `der`, `gin`) would read a Latin name as pinyin (`Yuri Gagarin` yu-ri-ga-ga-rin,
// `Alexander` a-le-xan-der), and no other spelling of that name (Yuriy, Aleksandr) lines up with it.
const TABLE: Readonly<Record<string, string>> = {
  // i, u and ü alone are written yi, wu, yu: here only for a last letter doubled by a slip (`lii`).
  '': 'a o e ai ei ao ou an en ang eng er i u v',
  b: 'ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu',
  p: 'pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu',
  m: 'ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu',
  f: 'fa fo fei fou fan fen fang feng fu',
  d: 'da de dai dei dao dou dan den dang deng dong di dia die diao diu dian ding du duo dui duan dun',
  t: 'ta te tai tei tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun',
  n: 'na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning nu nuo nuan nun nv nve nue',
  l: 'la lo le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling lu luo luan lun lv lve lue',
  g: 'ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang',
  k: 'ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang',
  h: 'ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang',
  j: 'ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun',
  q: 'qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun',
  x: 'xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun',
  zh: 'zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui zhuan zhun zhuang',
  ch: 'cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan chun chuang',
  sh: 'sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan shun shuang',
  r: 're ri rao rou ran ren rang reng rong ru rua ruo rui ruan run',
  z: 'za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun',
  c: 'ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun',
  s: 'sa se si sai sao sou san sen sang seng song su suo sui suan sun',
  y: 'ya yo ye yao you yan yin yang ying yong yi yu yue yuan yun',
  w: 'wa wo wai wei wan wen wang weng wu',
};
const SYLLABLES = new Set<string>(Object.values(TABLE).flatMap((row) => row.split(' ')));
const MAX = 6;

/**
 * Whether a folded token is one whole pinyin syllable (`jian`, `jiang`). Two such syllables are two
 * characters (建 jian, 江 jiang), so one letter between them is another name, not a slip.
 */
export function isPinyinSyllable(token: string): boolean {
  return SYLLABLES.has(token);
}

/**
 * Splits a Latin token into pinyin syllables when it is made of them entirely (`jianhua` →
 * `jian hua`), else undefined. Longest syllable first, backtracking when the rest does not split,
 * so both spellings of a given name (`Jianhua`, `Jian-Hua`) become the same syllables. Pinyin puts
 * an apostrophe before a syllable starting with a, o or e that follows another (`Xi'an`), so a
 * split without one is preferred: `nana` is na-na (not nan-a), `lina` li-na, `xian` one syllable;
 * and i, u or ü alone is written yi, wu, yu, so `jianguo` is jian-guo (not jiang-uo);
 * a word that only splits with one (`haoe`, the apostrophe left out) is still read, ending in i, u
 * or ü alone only as a slip that doubled the last letter (`lii`): `ivanov` is not pinyin.
 *
 * @example
 * splitPinyin('xiaoming') // ['xiao', 'ming']
 * splitPinyin('nana') // ['na', 'na']
 * splitPinyin('george') // undefined
 */
export function splitPinyin(token: string): string[] | undefined {
  if (token.length === 0 || token.length > 24) return undefined;
  return split(token, true) ?? split(token, false) ?? undefined;
}

const VOWEL_START = /^[aoe]/;
// A syllable of i, u or ü alone is written yi, wu, yu: `uo` or `ian` is never one (jiang-uo is jian-guo).
const NEVER_ALONE = /^[iuv]/;

function split(token: string, orthographic: boolean): string[] | null {
  const memo = new Map<number, string[] | null>();
  const go = (i: number): string[] | null => {
    if (i === token.length) return [];
    const seen = memo.get(i);
    if (seen !== undefined) return seen;
    for (let len = Math.min(MAX, token.length - i); len >= 1; len--) {
      const s = token.slice(i, i + len);
      if (!SYLLABLES.has(s)) continue;
      // No one writes yi, wu or yu as i, u or v: read without the orthography's rules, a word
      // may still end in one as its last letter doubled by a slip (`lii` li-i, `huu` hu-u). Any
      // other (`ivanov` i-v-an-o-v, `oliver` o-li-v-er) is no pinyin but a Latin name.
      if (NEVER_ALONE.test(s) && (orthographic || i + 1 !== token.length || token[i - 1] !== s)) continue;
      if (orthographic && i > 0 && VOWEL_START.test(s)) continue;
      const rest = go(i + len);
      if (rest) {
        const out = [s, ...rest];
        memo.set(i, out);
        return out;
      }
    }
    memo.set(i, null);
    return null;
  };
  return go(0);
}
