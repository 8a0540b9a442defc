import { Resolver, subjectToRecord } from '../../src/identity/index.js';
import { generateChinesePeople } from '../../src/identity/synthetic/index.js';

/**
 * The ingest path: one `resolve` per fact, where facts of a person repeat the same subject
 * identifiers (memoised), on an untrained resolver (default model, live name frequencies).
 * Run: node dist-bench/bench/identity/ingest-rate.js
 */
const people = generateChinesePeople({ persons: 20_000, seed: 5 });
const facts = Number(process.env.FACTS ?? 500_000);
const resolver = new Resolver();
let seed = 1;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const subjects = people.map((p) => {
  const { record_id: _, ...subject } = p.record;
  return subject as Record<string, string | undefined>;
});
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < facts; i++) {
  const s = subjects[Math.floor(rand() * subjects.length)] as Record<string, string | undefined>;
  resolver.resolve(subjectToRecord(s, `shop/f${i}`), { evidence: false });
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    facts,
    distinctSubjects: subjects.length,
    seconds: +(ms / 1000).toFixed(2),
    factsPerSecond: Math.round(facts / (ms / 1000)),
    factsPerCpuSecond: Math.round(facts / ((cpu.user + cpu.system) / 1e6)),
  }),
);
