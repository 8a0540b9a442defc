import { describe, expect, it } from 'vitest';
import { hashKey } from './match/block-index.js';
import {
  hasStrongKey,
  profileHash,
  profileSignature,
  sameProfile,
  strongKeys,
  toProfile,
} from './profile.js';
import { generateChinesePeople } from './synthetic/index.js';

describe('profile identity without signature strings', () => {
  const profiles = generateChinesePeople({ persons: 300, seed: 5, masked: true }).map((d) =>
    toProfile(d.record),
  );

  it('profileHash is the hash of the signature, and hasStrongKey says whether strongKeys has any', () => {
    for (const p of profiles) {
      expect(profileHash(p)).toBe(hashKey(profileSignature(p)));
      expect(hasStrongKey(p)).toBe(strongKeys(p).length > 0);
    }
  });

  it('sameProfile holds exactly when the signatures are equal', () => {
    const some = profiles.slice(0, 150);
    for (const a of some) {
      for (const b of some) expect(sameProfile(a, b)).toBe(profileSignature(a) === profileSignature(b));
      expect(sameProfile(a, { ...a })).toBe(true);
      expect(sameProfile(a, { ...a, kycBound: !a.kycBound })).toBe(false);
    }
  });
});
