import type { Writable } from 'node:stream';

// Writing line by line costs a syscall each; batching to about 64 KiB keeps 10k people well under a
// second while memory stays bounded, since we wait for 'drain' whenever the stream is full.
const BATCH_CHARS = 64 * 1024;

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Writes lines to a stream in batches, respecting backpressure. Resolves with the number of lines.
 * A closed pipe (`credence generate | head`) ends the write quietly instead of failing.
 *
 * @example
 * await writeLines(generateJsonl({ people: 1000 }), process.stdout);
 */
export async function writeLines(lines: Iterable<string>, out: Writable): Promise<number> {
  let closed = false;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') closed = true;
  };
  out.on('error', onError);
  let count = 0;
  let batch = '';
  const flush = async (): Promise<void> => {
    if (batch === '' || closed) return;
    const ok = out.write(batch);
    batch = '';
    if (!ok && !closed) await drained(out);
  };
  try {
    for (const line of lines) {
      batch += line;
      count++;
      if (batch.length >= BATCH_CHARS) await flush();
      if (closed) break;
    }
    await flush();
  } finally {
    out.off('error', onError);
  }
  return count;
}
