// Screening: precision and recall on a generated set with namesakes, and throughput on one core
// against N listed people. Run `npm run build` first.
//   taskset -c 1 node --max-old-space-size=12000 bench/furnishers/screen-bench.mjs [listed=1000000] [queries=20000]
// SCREEN_BASELINE=/abs/path/to/other/dist/screen/index.js also builds that build's index from the
// same people and times both on the same queries, in alternating chunks of the same run (the
// machine is shared, so only a ratio measured side by side is worth comparing), and counts the
// queries whose candidates (ids and scores) differ.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { NAME_TABLES, Prng, typo } from '../../dist/generate/index.js';
import { ScreenIndex } from '../../dist/screen/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const N = Number(process.argv[2] ?? 1_000_000);
const Q = Number(process.argv[3] ?? 20_000);
const r = new Prng(20260601);

// Given-name characters (a broad pool, so names are as varied as in life, with heavy namesake
// clusters from the common surnames and single-character given names).
const POOL =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌辉鹏飞晨宇浩然子轩梓涵欣怡佳雨萱博思睿泽俊凯嘉琪婷雪晶慧颖琳瑶倩佩璐晓东海波亮春燕林丹宁莉荣琴云凤梅洁欢成康健安永福瑞祥立新德胜光天龙峰坤毅松柏彬浩翔鑫磊';
const chars = [...new Set(POOL)].map((h) => ({
  h,
  p: pinyin(h, { toneType: 'none', v: true }).replace('v', 'u'),
}));
const surnames = NAME_TABLES.surnames;
const surnameCum = [];
let acc = 0;
for (let i = 0; i < surnames.length; i++) {
  acc += 1 / (i + 1) ** 0.9;
  surnameCum.push(acc);
}
const WEST_FIRST = [
  'George',
  'Emma',
  'Anna',
  'John',
  'Maria',
  'David',
  'Sarah',
  'Peter',
  'Laura',
  'Michael',
  'Olga',
  'Ivan',
  'Fatima',
  'Omar',
  'Lena',
  'Paul',
];
const WEST_LAST = [
  'Bush',
  'Habbash',
  'Daniels',
  'Miller',
  'Schmidt',
  'Eriksson',
  'Novak',
  'Rossi',
  'Garcia',
  'Kowalski',
  'Haddad',
  'Petrov',
  'Smith',
  'Jones',
  'Brown',
  'Meyer',
];
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function makeName() {
  if (r.chance(0.03)) {
    return {
      west: true,
      first: r.pick(WEST_FIRST),
      last: r.pick(WEST_LAST),
      country: r.pick(['GB', 'US', 'DE', 'JO', 'RU']),
    };
  }
  const s = surnames[r.weighted(surnameCum)];
  const n = r.chance(0.35) ? 1 : 2;
  const g = Array.from({ length: n }, () => r.pick(chars));
  return { west: false, s, g, country: 'CN' };
}
const dobOf = () => {
  const d = new Date(Date.UTC(1950, 0, 1) + r.int(56 * 365) * 86400000);
  return d.toISOString().slice(0, 10);
};
const spell = (n, how) => {
  if (n.west) return how === 'swap' ? `${n.last}, ${n.first}` : `${n.first} ${n.last}`;
  const gp = n.g.map((c) => c.p);
  const given = cap(gp.join(''));
  switch (how) {
    case 'hanzi':
      return n.s.hanzi + n.g.map((c) => c.h).join('');
    case 'given-first':
      return `${given} ${n.s.pinyin}`;
    case 'split':
      return `${n.s.pinyin.toUpperCase()} ${gp.map(cap).join('-')}`;
    default:
      return `${n.s.pinyin} ${given}`;
  }
};
// --- the listed people ---------------------------------------------------------------------
const t0 = performance.now();
const truth = [];
const people = [];
for (let i = 0; i < N; i++) {
  const name = makeName();
  const dob = dobOf();
  const sex = r.chance(0.5) ? 'M' : 'F';
  truth.push({ name, dob, sex });
  people.push({
    subjectId: `L${i}`,
    names: name.west ? [spell(name)] : [spell(name, 'hanzi'), spell(name, 'surname-first')],
    dob,
    sex,
    country: name.country,
    flags: ['dishonest-debtor'],
  });
}
const tGen = performance.now();
const index = new ScreenIndex(people);
const tBuild = performance.now();
const baseline = process.env.SCREEN_BASELINE
  ? new (await import(process.env.SCREEN_BASELINE)).ScreenIndex(people)
  : undefined;
people.length = 0;

// --- the queries ----------------------------------------------------------------------------
const spellings = ['hanzi', 'surname-first', 'given-first', 'split'];
function query(withDob) {
  const x = r.next();
  if (x < 0.4) {
    const i = r.int(N);
    const t = truth[i];
    let name = spell(t.name, t.name.west ? r.pick(['plain', 'swap']) : r.pick(spellings));
    let variant = 'exact';
    if (r.chance(0.15) && !/[\u4e00-\u9fff]/.test(name)) {
      const parts = name.split(' ');
      const k = r.int(parts.length);
      parts[k] = typo(r, parts[k]);
      name = parts.join(' ');
      variant = 'typo';
    }
    let dob = t.dob;
    if (r.chance(0.05)) dob = `${dob.slice(0, 5)}${dob.slice(8, 10)}-${dob.slice(5, 7)}`; // day/month swapped
    const q = { name, ...(withDob ? { dob } : {}) };
    return { kind: 'listed', variant, q, expect: `L${i}` };
  }
  if (x < 0.7) {
    // A namesake: the same name as a listed person, another person (another date of birth).
    const i = r.int(N);
    const t = truth[i];
    let dob = dobOf();
    while (dob === t.dob) dob = dobOf();
    return {
      kind: 'namesake',
      q: { name: spell(t.name, t.name.west ? 'plain' : r.pick(spellings)), ...(withDob ? { dob } : {}) },
      expect: undefined,
      namesakeOf: i,
    };
  }
  // Someone not on the list (a fresh name; if it happens to be a listed name, it is a namesake).
  const name = makeName();
  return {
    kind: 'unlisted',
    q: { name: spell(name, name.west ? 'plain' : r.pick(spellings)), ...(withDob ? { dob: dobOf() } : {}) },
    expect: undefined,
  };
}

function evaluate(withDob) {
  const qs = Array.from({ length: Q }, () => query(withDob));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let anywhere = 0;
  const byVariant = {};
  // CPU time of this process (the machine is shared; CPU time is what wall time would be on an
  // idle core), and wall time beside it. With a baseline, both indexes answer the same chunks of
  // queries in turn (which goes first alternates), each timed on its own.
  const CHUNK = 500;
  const results = new Array(Q);
  const base = baseline ? new Array(Q) : undefined;
  let seconds = 0;
  let wall = 0;
  let baseSeconds = 0;
  let explainSeconds = 0;
  const timed = (ix, from, to, out) => {
    const t = performance.now();
    const c0 = process.cpuUsage();
    for (let k = from; k < to; k++) out[k] = ix.search(qs[k].q);
    const cpu = process.cpuUsage(c0);
    return [(cpu.user + cpu.system) / 1e6, (performance.now() - t) / 1000];
  };
  for (let from = 0, n = 0; from < Q; from += CHUNK, n++) {
    const to = Math.min(Q, from + CHUNK);
    if (base && n % 2 === 1) baseSeconds += timed(baseline, from, to, base)[0];
    const [c, w] = timed(index, from, to, results);
    seconds += c;
    wall += w;
    if (base && n % 2 === 0) baseSeconds += timed(baseline, from, to, base)[0];
    // What the CLI and the API also pay: every reported candidate's explanation, read.
    const c0 = process.cpuUsage();
    for (let k = from; k < to; k++) for (const cc of results[k].candidates) cc.explanation.length;
    const cpu = process.cpuUsage(c0);
    explainSeconds += (cpu.user + cpu.system) / 1e6;
  }
  let differ = 0;
  if (base) {
    const key = (r) =>
      r.candidates.map((c) => `${c.subjectId}:${c.score}:${c.explanation.join('|')}`).join(',');
    for (let k = 0; k < Q; k++) if (key(results[k]) !== key(base[k])) differ++;
  }
  qs.forEach((x, k) => {
    const c = results[k].candidates;
    const top = c[0]?.subjectId;
    if (x.expect) {
      byVariant[x.variant] ??= { n: 0, found: 0 };
      const v = byVariant[x.variant];
      v.n++;
      if (c.some((cc) => cc.subjectId === x.expect)) anywhere++;
      if (top === x.expect) {
        tp++;
        v.found++;
      } else {
        fn++;
        if (top) fp++;
      }
    } else if (top) fp++;
    else tn++;
  });
  const listed = qs.filter((x) => x.expect).length;
  return {
    withDob,
    queries: Q,
    listedQueries: listed,
    namesakeQueries: qs.filter((x) => x.kind === 'namesake').length,
    precision: round(tp / Math.max(1, tp + fp)),
    recall: round(tp / Math.max(1, tp + fn)),
    recallAnyRank: round(anywhere / Math.max(1, listed)),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    recallByVariant: Object.fromEntries(Object.entries(byVariant).map(([k, v]) => [k, round(v.found / v.n)])),
    queriesPerCpuSecond: Math.round(Q / seconds),
    cpuMicrosecondsPerQuery: round((seconds * 1e6) / Q),
    queriesPerWallSecond: Math.round(Q / wall),
    queriesPerCpuSecondWithExplanations: Math.round(Q / (seconds + explainSeconds)),
    ...(base
      ? {
          baselineQueriesPerCpuSecond: Math.round(Q / baseSeconds),
          speedupByCpu: round(baseSeconds / seconds),
          speedupByCpuWithExplanations: round(baseSeconds / (seconds + explainSeconds)),
          queriesWhoseCandidatesDiffer: differ,
        }
      : {}),
  };
}
const round = (x) => Math.round(x * 1000) / 1000;

async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

// Warm up, then measure. SCREEN_PROFILE=file.cpuprofile profiles the query phase only (the
// generator and the index build would otherwise fill the profile).
for (let i = 0; i < Math.min(2000, Q); i++) {
  const q = query(true).q;
  index.search(q);
  baseline?.search(q);
}
const profile = process.env.SCREEN_PROFILE ? await startProfile() : undefined;
const withDob = evaluate(true);
const nameOnly = evaluate(false);
if (profile) await profile.stop(process.env.SCREEN_PROFILE);
const result = {
  bench: 'furnishers/screen',
  command: `taskset -c 1 node --max-old-space-size=12000 bench/furnishers/screen-bench.mjs ${N} ${Q}`,
  node: process.version,
  listed: N,
  generateSeconds: round((tGen - t0) / 1000),
  indexBuildSeconds: round((tBuild - tGen) / 1000),
  heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  loadAverage: (await import('node:os')).loadavg().map(round),
  withDob,
  nameOnly,
  falsePositiveCases: {
    'George Bush': index.search({ name: 'George Bush' }).candidates.filter((c) => !/bush/i.test(c.listedName))
      .length,
    'Emma LLC': index.search({ name: 'Emma LLC' }).candidates.length,
    LLC: index.search({ name: 'LLC' }).candidates.length,
  },
};
mkdirSync(join(ROOT, 'bench/out/furnishers'), { recursive: true });
writeFileSync(join(ROOT, `bench/out/furnishers/screen-${N}.json`), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
