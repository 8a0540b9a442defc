// Writes a generated CSV (header line first) to a file, through the project's own batched,
// backpressure-respecting `writeLines`. `limit` keeps only that many data rows after the header.
import { createWriteStream } from 'node:fs';
import { writeLines } from '../../dist/generate/index.js';

function* firstRows(lines, limit) {
  let n = 0;
  for (const l of lines) {
    if (n++ > limit) return;
    yield `${l}\n`;
  }
}

export async function writeCsv(path, lines, limit = Number.POSITIVE_INFINITY) {
  const out = createWriteStream(path);
  await writeLines(firstRows(lines, limit), out);
  await new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(resolve);
  });
}
