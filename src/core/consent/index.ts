export { type ConsentEvent, type ConsentVerdict, consentVerdict, type EnrolmentStatus } from './consent.js';
