export { type ErrorCode, errorCatalogue } from './catalogue.js';
export {
  CredenceError,
  type ErrorDetail,
  type ErrorLocation,
  formatDetail,
  isCredenceError,
} from './credence-error.js';
export { credenceErrorFromWire, errorToWire, type WireError } from './error-wire.js';
