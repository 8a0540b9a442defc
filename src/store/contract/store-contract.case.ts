import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyDigest } from '../fact-digest.js';
import type { LedgerRow, NewFact, Store } from '../store.js';

/** Makes a fresh, migrated store and says how to dispose of it. */
export type MakeStore = () => Promise<{ store: Store; dispose: () => Promise<void> }>;

const fact = (
  source: string,
  id: string,
  subject: string,
  at: number,
  extra: Partial<NewFact> = {},
): NewFact => ({
  source,
  id,
  subject,
  type: 'payment.completed',
  at,
  body: JSON.stringify({ id, source, at }),
  hash: `h-${source}-${id}`,
  retracts: null,
  receivedAt: 1,
  ...extra,
});

const ledgerRow = (subject: string, factKey: string, ruleId: string, raw: number): LedgerRow => ({
  subject,
  program: 'p',
  factKey,
  ruleId,
  at: 10,
  points: raw,
  raw,
  dimension: 'finance',
  reasonCode: 'F10',
});

/**
 * The contract every store adapter passes. An adapter's test is three lines:
 *
 * @example
 * runStoreContract('sqlite', async () => { const s = ...; return { store: s, dispose: ... }; });
 */
export function runStoreContract(name: string, make: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await make());
    });
    afterEach(async () => {
      await dispose();
    });

    it('is initialised after migrate, and migrating again changes nothing', async () => {
      expect(await store.isInitialised()).toBe(true);
      await store.migrate();
      expect((await store.counts()).facts).toBe(0);
    });

    it('numbers rulebook versions per program from 1', async () => {
      const rb = { name: 'n', yaml: 'y', effectiveFrom: 0, loadedAt: 5 };
      expect(await store.addRulebook({ ...rb, program: 'a' })).toBe(1);
      expect(await store.addRulebook({ ...rb, program: 'a', yaml: 'y2' })).toBe(2);
      expect(await store.addRulebook({ ...rb, program: 'b' })).toBe(1);
      const latest = await store.latestRulebooks();
      expect(latest.map((r) => [r.program, r.version, r.yaml])).toEqual([
        ['a', 2, 'y2'],
        ['b', 1, 'y'],
      ]);
      expect((await store.rulebookVersions('a')).map((r) => r.version)).toEqual([1, 2]);
      expect((await store.allRulebooks()).map((r) => `${r.program}${r.version}`)).toEqual(['a1', 'a2', 'b1']);
    });

    it('stores facts and finds them by (source, id) with their hash', async () => {
      await store.commit({ subjects: ['P1'], facts: [fact('shop', 'f1', 'P1', 100)] });
      const found = await store.findFacts([
        { source: 'shop', id: 'f1' },
        { source: 'shop', id: 'nope' },
        { source: 'bank', id: 'f1' },
      ]);
      expect([...found.keys()]).toEqual(['shop/f1']);
      expect(found.get('shop/f1')).toMatchObject({
        subject: 'P1',
        hash: 'h-shop-f1',
        retracted: false,
        at: 100,
      });
    });

    it('applies a batch all or nothing: a repeated (source, id) rolls the whole batch back', async () => {
      await store.commit({ subjects: ['P1'], facts: [fact('shop', 'f1', 'P1', 100)] });
      // A write-behind store reports the failure when flushed; others from commit itself.
      const commitAndFlush = async (): Promise<void> => {
        await store.commit({
          subjects: ['P2'],
          facts: [fact('shop', 'f2', 'P2', 100), fact('shop', 'f1', 'P2', 100)],
          ledgerUpserts: [ledgerRow('P2', 'shop/f2', 'r', 1)],
        });
        await store.flush?.();
      };
      await expect(commitAndFlush()).rejects.toThrow();
      const c = await store.counts();
      expect([c.facts, c.subjects, c.ledgerRows]).toEqual([1, 1, 0]);
    });

    it('keeps the digest of the body as sent, computing it when the batch leaves it out', async () => {
      const { hash: _, ...bare } = fact('shop', 'f9', 'P1', 100);
      await store.commit({ subjects: ['P1'], facts: [bare, fact('shop', 'f8', 'P1', 100)] });
      const known = await store.findFacts([
        { source: 'shop', id: 'f9' },
        { source: 'shop', id: 'f8' },
      ]);
      expect(known.get('shop/f9')?.hash).toBe(bodyDigest(bare.body));
      expect(known.get('shop/f8')?.hash).toBe('h-shop-f8');
    });

    it('a retraction hides the fact from the person but keeps both rows', async () => {
      await store.commit({
        subjects: ['P1'],
        facts: [fact('court', 'c1', 'P1', 100), fact('court', 'c2', 'P1', 200)],
      });
      await store.commit({ facts: [fact('court', 'c3', 'P1', 300, { type: null, retracts: 'c1' })] });
      const facts = (await store.personFacts(['P1'])).get('P1') ?? [];
      expect(facts.map((f) => f.id)).toEqual(['c2']);
      const known = await store.findFacts([
        { source: 'court', id: 'c1' },
        { source: 'court', id: 'c3' },
      ]);
      expect(known.get('court/c1')?.retracted).toBe(true);
      expect(known.get('court/c3')?.retracts).toBe('c1');
      const file = await store.personFile('P1');
      expect(file.retractions.map((r) => r.retracts)).toEqual(['c1']);
      // The retracted fact no longer counts but is still held: the person's file shows it.
      expect(file.facts.map((f) => f.id)).toEqual(['c2']);
      expect(file.retractedFacts?.map((f) => f.id)).toEqual(['c1']);
      const c = await store.counts();
      expect([c.facts, c.retractions]).toEqual([2, 1]);
    });

    it('returns a person’s facts in (at, source, id) order whatever the insertion order', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), at: fc.nat(50) }), {
            selector: (r) => r.id,
            maxLength: 12,
          }),
          async (rows) => {
            const subject = `S${Math.random().toString(36).slice(2)}`;
            await store.commit({
              subjects: [subject],
              facts: rows.map((r) => fact(subject, r.id, subject, r.at)),
            });
            const got = ((await store.personFacts([subject])).get(subject) ?? []).map((f) => [f.at, f.id]);
            const want = [...rows]
              .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
              .map((r) => [r.at, r.id]);
            expect(got).toEqual(want);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('keeps the first claim of an identifier and finds subjects by value', async () => {
      await store.commit({
        subjects: ['P1', 'P2'],
        identifiers: [
          { kind: 'phone', value: '+86138', subject: 'P1' },
          { kind: 'phone', value: '+86138', subject: 'P2' },
          { kind: 'national_id', value: 'X1', subject: 'P2' },
        ],
      });
      const m = await store.findIdentifiers([
        { kind: 'phone', value: '+86138' },
        { kind: 'email', value: '+86138' },
      ]);
      expect([...m.entries()]).toEqual([['phone:+86138', 'P1']]);
      expect(await store.subjectsByIdentifierValue('X1', ['national_id'])).toEqual(['P2']);
      expect(await store.subjectsByIdentifierValue('X1', ['phone'])).toEqual([]);
      expect(await store.existingSubjects(['P1', 'P9'])).toEqual(new Set(['P1']));
      expect(await store.subjectCount()).toBe(2);
      expect(await store.subjectsPage('', 1)).toEqual(['P1']);
      expect(await store.subjectsPage('P1', 10)).toEqual(['P2']);
    });

    it('upserts, deletes and clears ledger rows and cached scores', async () => {
      await store.commit({
        subjects: ['P1'],
        ledgerUpserts: [ledgerRow('P1', 'a/1', 'r1', 5), ledgerRow('P1', 'a/2', 'r1', 3)],
        scores: [
          {
            subject: 'P1',
            program: 'p',
            version: 1,
            asOf: 10,
            status: 'scored',
            score: 1008,
            tier: 'A',
            reason: null,
          },
        ],
      });
      await store.commit({
        ledgerUpserts: [ledgerRow('P1', 'a/1', 'r1', 7)],
        ledgerDeletes: [{ subject: 'P1', program: 'p', factKey: 'a/2', ruleId: 'r1' }],
      });
      expect((await store.ledger('P1', 'p')).map((l) => [l.factKey, l.raw])).toEqual([['a/1', 7]]);
      expect((await store.cachedScores('P1'))[0]).toMatchObject({ score: 1008, tier: 'A', status: 'scored' });
      expect((await store.programScores('p')).length).toBe(1);
      await store.commit({ clearLedgers: [{ subject: 'P1', program: 'p' }] });
      expect(await store.ledger('P1', 'p')).toEqual([]);
      expect(await store.cachedScores('P1')).toEqual([]);
    });

    it('clears derived data of one program or all', async () => {
      await store.commit({
        subjects: ['P1'],
        consents: [{ subject: 'P1', program: 'q', action: 'opt-out', at: 1, factKey: 'x/1' }],
        ledgerUpserts: [
          ledgerRow('P1', 'a/1', 'r1', 5),
          { ...ledgerRow('P1', 'a/1', 'r1', 5), program: 'q' },
        ],
      });
      await store.clearDerived('q');
      expect((await store.counts()).ledgerRows).toBe(1);
      expect((await store.counts()).consents).toBe(0);
      await store.clearDerived();
      expect((await store.counts()).ledgerRows).toBe(0);
    });

    it('records consents, removes those of a retracted fact, and lists who has any', async () => {
      await store.commit({
        subjects: ['P1'],
        consents: [
          { subject: 'P1', program: 'p', action: 'opt-out', at: 50, factKey: 'x/1' },
          { subject: 'P1', program: 'p', action: 'opt-in', at: 20, factKey: 'x/2' },
        ],
      });
      const got = (await store.personConsents(['P1'])).get('P1') ?? [];
      expect(got.map((c) => c.action)).toEqual(['opt-in', 'opt-out']);
      expect(await store.subjectsWithConsents()).toEqual(new Set(['P1']));
      await store.commit({ consentDeletes: ['x/1'] });
      expect(((await store.personConsents(['P1'])).get('P1') ?? []).length).toBe(1);
      // Recorded and retracted in the same batch: gone.
      await store.commit({
        consents: [{ subject: 'P1', program: 'p', action: 'opt-out', at: 60, factKey: 'x/3' }],
        consentDeletes: ['x/3'],
      });
      expect(((await store.personConsents(['P1'])).get('P1') ?? []).map((c) => c.factKey)).toEqual(['x/2']);
    });

    it('keeps identity records with their links, reviews and history, and moves a person whole or fact by fact', async () => {
      const rec = (recordId: string, subject: string) => ({
        recordId,
        subject,
        decision: 'new',
        confidence: 1,
        matched: null,
        body: JSON.stringify({ record_id: recordId }),
        link: JSON.stringify({ recordId, evidence: [] }),
      });
      await store.commit({
        subjects: ['P1', 'P2'],
        identifiers: [{ kind: 'phone', value: '+1', subject: 'P2' }],
        facts: [fact('s', '1', 'P1', 10), fact('s', '2', 'P2', 20), fact('s', '3', 'P2', 30)],
        consents: [{ subject: 'P2', program: 'p', action: 'opt-in', at: 5, factKey: 's/3' }],
        identity: {
          records: [rec('R1', 'P1'), rec('R2', 'P2')],
          reviews: [{ recordId: 'R2', item: '{"recordId":"R2"}' }],
          decisions: [{ seq: 1, body: '{"kind":"refused-merge"}' }],
          // Found during ingest: queued, facts stay where they are until settled.
          subjectMoves: [{ from: 'P2', to: 'P1', facts: false }],
        },
      });
      let state = await store.identityState();
      expect(state.records.map((r) => [r.recordId, r.subject])).toEqual([
        ['R1', 'P1'],
        ['R2', 'P1'],
      ]);
      expect(state.reviews).toEqual(['{"recordId":"R2"}']);
      expect(state.moves).toEqual([{ from: 'P2', to: 'P1' }]);
      // Streamed, the same state; a reader that stops early leaves the store usable.
      expect(await store.readIdentity((s) => ({ ...s, records: [...s.records] }))).toEqual(state);
      expect(
        await store.readIdentity((s) => {
          for (const r of s.records) return r.recordId;
          return undefined;
        }),
      ).toBe('R1');
      expect(await store.identityMoves()).toEqual(state.moves);
      expect(await store.identityDecisions()).toEqual(state.decisions);
      expect(state.decisions).toEqual(['{"kind":"refused-merge"}']);
      expect(await store.identityRecordSubjects(['R2', 'R9', 'R1'])).toEqual(
        new Map([
          ['R2', 'P1'],
          ['R1', 'P1'],
        ]),
      );
      expect(((await store.personFacts(['P2'])).get('P2') ?? []).length).toBe(2);

      await store.commit({
        identity: {
          subjectMoves: [{ from: 'P2', to: 'P1', facts: true }],
          movesSettled: true,
          reviewsClosed: ['R2'],
          state: '{"apart":[]}',
        },
      });
      state = await store.identityState();
      expect(state.moves).toEqual([]);
      expect(await store.identityMoves()).toEqual([]);
      expect(state.reviews).toEqual([]);
      expect(state.state).toBe('{"apart":[]}');
      expect(((await store.personFacts(['P1'])).get('P1') ?? []).map((f) => f.id)).toEqual(['1', '2', '3']);
      expect(await store.findIdentifiers([{ kind: 'phone', value: '+1' }])).toEqual(
        new Map([['phone:+1', 'P1']]),
      );
      expect(((await store.personConsents(['P1'])).get('P1') ?? []).map((c) => c.factKey)).toEqual(['s/3']);

      // A split moves single facts (and their consent rows) and relinks records.
      await store.commit({
        subjects: ['P3'],
        identity: {
          relink: [{ recordId: 'R2', subject: 'P3' }],
          factMoves: [{ source: 's', id: '3', subject: 'P3' }],
          identifierMoves: [{ kind: 'phone', value: '+1', from: 'P1', to: 'P3' }],
        },
      });
      expect((await store.identityRecordsOf('P3')).map((r) => r.recordId)).toEqual(['R2']);
      expect((await store.identityRecord('R2'))?.subject).toBe('P3');
      expect(await store.identityRecord('nope')).toBeUndefined();
      expect(((await store.personFacts(['P3'])).get('P3') ?? []).map((f) => f.id)).toEqual(['3']);
      expect(((await store.personConsents(['P3'])).get('P3') ?? []).length).toBe(1);
      expect((await store.personFile('P3')).links?.map((l) => l.recordId)).toEqual(['R2']);
      expect(await store.subjectsByIdentifierValue('+1', ['phone'])).toEqual(['P3']);
    });
  });
}
