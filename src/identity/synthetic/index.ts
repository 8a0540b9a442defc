export { type ChinesePeopleOptions, generateChinesePeople, type SyntheticRecord } from './chinese-people.js';
