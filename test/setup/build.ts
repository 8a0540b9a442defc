import { execFileSync } from 'node:child_process';

// The CLI tests run the real `credence` binary, which runs the compiled `dist/` (`npm run build`).
// Build once before any test so they never exercise stale output.
// CREDENCE_SKIP_BUILD=1 skips it when only in-process unit tests are being run.
export default function setup(): void {
  if (process.env.CREDENCE_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  // As `npm run build` does: the tests run the commands as they ship, bundled.
  execFileSync(process.execPath, ['scripts/bundle-commands.mjs'], { stdio: 'inherit' });
}
