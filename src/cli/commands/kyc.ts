import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { type MrzResult, parseMrz } from '../../identity/index.js';

/** The MRZ parse as people read it: fields, then each check digit. */
export function formatMrz(r: MrzResult): string {
  const out: string[] = [];
  const row = (k: string, v: string | undefined) => {
    if (v !== undefined) out.push(`${k.padEnd(16)}${v}`);
  };
  row('format', r.format);
  row('document code', r.documentCode);
  row('issuing state', r.issuingState);
  row('document number', r.documentNumber);
  row('surname', r.surname);
  row('given names', r.givenNames);
  row('nationality', r.nationality);
  row('date of birth', r.birthDate);
  row('sex', r.sex);
  row(
    'expiry date',
    r.expiryDate === undefined ? undefined : `${r.expiryDate}${r.expired ? ' (EXPIRED)' : ''}`,
  );
  if (r.checks.length > 0) out.push('check digits:');
  for (const c of r.checks) {
    out.push(`  ${c.name.padEnd(16)}${c.valid ? 'ok' : 'FAILED'} (found ${c.found}, expected ${c.expected})`);
  }
  out.push(`valid           ${r.valid ? 'yes' : 'no'}`);
  for (const p of r.problems) out.push(`  problem: ${p}`);
  return `${out.join('\n')}\n`;
}

/**
 * `credence kyc mrz LINE1 LINE2 [LINE3] [--json]`: parses a passport (TD3) or ID-card (TD1,
 * TD2) machine-readable zone and checks every check digit; an invalid document exits non-zero
 * and names the failed check. An expired document is well-formed and flagged as expired.
 */
export function registerKyc(program: Command): void {
  const kyc = program.command('kyc').description('Know-your-customer document checks');
  kyc
    .command('mrz')
    .description('Parse an ICAO 9303 machine-readable zone and check its digits')
    .argument('<line1>', 'first MRZ line (quote it: it contains <)')
    .argument('<line2>', 'second MRZ line')
    .argument('[line3]', 'third line of a TD1 identity card')
    .option('--json', 'print one JSON object')
    .action((line1: string, line2: string, line3: string | undefined, opts: { json?: boolean }) => {
      const lines = line3 === undefined ? [line1, line2] : [line1, line2, line3];
      const r = parseMrz(lines, { asOf: Date.now() });
      process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : formatMrz(r));
      if (!r.valid) {
        throw new CredenceError('CREDENCE_E_ID_INVALID', `the MRZ is invalid: ${r.problems.join('; ')}`, {
          field: 'mrz',
        });
      }
    });
}
