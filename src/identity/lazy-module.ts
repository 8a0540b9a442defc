import { createRequire } from 'node:module';

/**
 * A package loaded on first use, synchronously (normalising and validating are synchronous): a
 * command that never reads a phone number, a Han name or an MRZ, such as a register delta whose
 * rows all name their person, does not pay for loading libphonenumber-js, pinyin-pro or mrz.
 *
 * @example
 * const phoneLib = lazyModule<typeof import('libphonenumber-js')>(import.meta.url, 'libphonenumber-js');
 * phoneLib().parsePhoneNumberFromString('138 0013 8000', 'CN');
 */
export function lazyModule<T>(moduleUrl: string, id: string): () => T {
  const require = createRequire(moduleUrl);
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}
