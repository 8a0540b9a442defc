export { UnionFind } from './union-find.js';
