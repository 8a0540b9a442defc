import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// `credence identity merge` ignored masked resident IDs: two court judgments whose masked IDs
// visibly disagree (`1101051949****002X`, `3201051980****1234`: another district, birth year,
// sequence and check character) were merged on the operator's word, as two full IDs never are.
// Refused the same way (CREDENCE_E_IDENTITY_CONFLICT, exit 5, `identity.refused` in the audit log),
// naming which parts differ but not the IDs; no note overrides it.
describe('credence identity merge of persons whose masked IDs disagree (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused and logged; nothing moves and no merge is recorded', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const judgment = (id: string, nationalId: string) =>
      line({
        id,
        source: 'court',
        type: 'loan.defaulted',
        occurredAt: '2026-03-05T10:00:00Z',
        subject: { national_id: nationalId, full_name: '王伟' },
        data: { lender: 'bank', loan: `L-${id}`, amount: 5000 },
      });
    ok(
      w.run(['ingest', '-'], {
        input: `${judgment('c1', '1101051949****002X')}\n${judgment('c2', '3201051980****1234')}\n`,
      }),
    );
    const subjectOf = (id: string): string => {
      const db = new Database(w.db, { readonly: true });
      try {
        return db
          .prepare("SELECT subject FROM facts WHERE source = 'court' AND id = ?")
          .pluck()
          .get(id) as string;
      } finally {
        db.close();
      }
    };
    const [a, b] = [subjectOf('c1'), subjectOf('c2')];
    expect(a).not.toBe(b);
    const r = w.run(['identity', 'merge', a, b, '--note', 'same name, clerk is sure']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('CREDENCE_E_IDENTITY_CONFLICT');
    expect(r.stderr).toContain('area code, birth date, sequence number, check character');
    expect(r.stderr).not.toMatch(/1101051949|3201051980/);
    expect([subjectOf('c1'), subjectOf('c2')]).toEqual([a, b]);
    const { decisions } = w.json<{ decisions: { kind: string }[] }>(['identity', 'history', '--json']);
    expect(decisions.map((d) => d.kind)).not.toContain('merge');
    const { entries } = w.json<{ entries: { action: string; detail: Record<string, unknown> }[] }>([
      'audit',
      'list',
    ]);
    const identity = entries.filter((e) => e.action.startsWith('identity.'));
    // The refusal, then the operator's read of the history above (logged as a read, no decision).
    expect(identity.map((e) => e.action)).toEqual(['identity.refused', 'identity.history.read']);
    expect(identity[0]?.detail).toMatchObject({
      command: 'merge',
      persons: [a, b],
      code: 'CREDENCE_E_IDENTITY_CONFLICT',
    });
  });
});
