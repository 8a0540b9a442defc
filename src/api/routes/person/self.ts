import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../../../core/errors/index.js';
import { principalOf } from '../../context.js';

/** The subject a person token is for. */
export function selfOf(req: FastifyRequest): string {
  const s = principalOf(req).subject;
  if (s === null) throw new CredenceError('CREDENCE_E_FORBIDDEN', 'this key is not a person token');
  return s;
}
