// Writes the shipped sample files of examples/sources/samples/ from the seeded generators
// (run `npm run build` first). Deterministic: the same command always writes the same bytes;
// test/furnishers/samples.test.ts checks the shipped files have not drifted.
//   node bench/furnishers/write-samples.mjs [outDir]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bureauAccounts,
  courtListDelta,
  courtListSnapshot,
  debtorRegister,
  platformExport,
} from '../../dist/ingest/sources/samples/index.js';
import { SAMPLE_SIZES } from '../../dist/ingest/sources/samples/sizes.js';

const out = process.argv[2] ?? 'examples/sources/samples';
const write = (name, lines) => writeFileSync(join(out, name), `${[...lines].join('\n')}\n`);
const s = SAMPLE_SIZES;
write('court-2026-06.csv', courtListSnapshot(s.court, 1));
write('court-2026-07.csv', courtListSnapshot(s.court, 2));
write('court-delta-2026-07.csv', courtListDelta(s.court));
write('debtor-register-2026-06.csv', debtorRegister(s.register));
write('bureau-2026-06.csv', bureauAccounts(s.bureau));
for (const p of ['pay', 'shop', 'ride']) write(`${p}-2026-06.csv`, platformExport(p, s.platform));
console.log(`wrote samples to ${out}`);
