import { describe, expect, it } from 'vitest';
import { profileHash, toProfile } from '../profile.js';
import { generateChinesePeople } from '../synthetic/index.js';
import type { PersonRecord } from '../types.js';
import { decodeProfiles, decodeRecords, encodeProfiles, encodeRecords } from './profile-wire.js';

const records: PersonRecord[] = [
  ...generateChinesePeople({ persons: 300, seed: 3, masked: true }).map((d) => d.record),
  // Separators, digits and the absent-value mark inside values; empty values.
  { record_id: 'x1', full_name: '12:~3', address: '~', city: '', phone: '4:5', email: 'a\u0001b@c.d' },
  { record_id: 'x2', passport_number: 'G1234567', passport_country: 'CHN', mrz: '<<<<' },
];

describe('profile wire format', () => {
  it('carries the fields toProfile reads, absent and empty apart', () => {
    const back = decodeRecords(encodeRecords(records, 0, records.length));
    expect(back.map((r) => toProfile(r))).toEqual(records.map((r) => toProfile(r)));
    expect(back.at(-2)?.city).toBe('');
    expect(back.at(-2)?.surname).toBeUndefined();
  });

  it('gives back whole profiles, and the scoring fields alone', () => {
    const profiles = records.map((r) => toProfile(r));
    const full: ReturnType<typeof toProfile>[] = [];
    const hashes: number[] = [];
    decodeProfiles(encodeProfiles(profiles, 0, profiles.length, true), full, true, hashes);
    // Key order aside (toEqual ignores it), the same objects.
    expect(full).toEqual(profiles);
    expect(hashes).toEqual(profiles.map(profileHash));
    const scoring: ReturnType<typeof toProfile>[] = [];
    decodeProfiles(encodeProfiles(profiles, 5, 40), scoring);
    expect(scoring).toEqual(
      profiles
        .slice(5, 40)
        .map(({ notes: _n, phoneValid: _v, kycBound: _k, ...rest }) => ({ ...rest, notes: [] })),
    );
  });
});
