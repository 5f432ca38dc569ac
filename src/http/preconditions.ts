import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { ContractOperation } from './contract.js';

/**
 * RFC 6585 428 for an edit sent without the `If-Match` the contract requires, before the body is
 * parsed and before the validator (which would call it a plain 400): the code tells the client
 * exactly what to add.
 */
export function requireIfMatch(op: ContractOperation): RequestHandler | undefined {
  if (!op.requiresIfMatch) return undefined;
  return (req, _res, next) => {
    if (req.get('if-match') !== undefined) return next();
    next(new AppError('precondition_required', 428, "Send If-Match with the ETag you read (or '*' to overwrite whatever is stored)."));
  };
}
