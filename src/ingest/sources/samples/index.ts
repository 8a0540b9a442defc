export { BUREAU_COLUMNS, type BureauOptions, bureauAccounts, repaymentGrid } from './bureau-accounts.js';
export {
  CONDUCTS,
  COURT_LIST_COLUMNS,
  type CourtListOptions,
  type CourtListRow,
  courtListDelta,
  courtListEntry,
  courtListSnapshot,
  maskId,
  SNAPSHOT_DATES,
} from './court-list.js';
export {
  DEBTOR_REGISTER_COLUMNS,
  type DebtorRegisterOptions,
  debtorRegister,
  ENTRY_REASONS,
  REGISTER_AS_OF,
} from './debtor-register.js';
export {
  PLATFORM_COLUMNS,
  PLATFORMS,
  type Platform,
  type PlatformOptions,
  platformExport,
} from './platform-exports.js';
export { SAMPLE_SIZES } from './sizes.js';
