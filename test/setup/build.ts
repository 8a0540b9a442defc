import { execFileSync } from 'node:child_process';

// The CLI tests run the real `credence` binary, which runs the compiled `dist/`.
// Build once before any test so they never exercise stale output.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
