import type { RequestHandler } from 'express';
import type { ContractOperation } from './contract.js';
import type { ContractValidators } from './public-reads/contract-validators.js';

/**
 * Where config.validateResponses (tests): every JSON body a handler sends is checked against the
 * contract before it leaves, and one that does not conform fails the request with a 500, so a
 * handler that drifts from the contract fails its tests. Problems are sent by the error handler
 * (problem.ts), not through here; the tests' coverage recorder checks those.
 */
export function responseCheck(op: ContractOperation, validators: ContractValidators): RequestHandler {
  const specPath = op.expressPath.replace(/:(\w+)/g, '{$1}');
  return (_req, res, next) => {
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const validate = validators.response(specPath, op.method, res.statusCode);
      if (!validate(body)) {
        const errors = (validate.errors ?? []).slice(0, 5).map((e) => `body${e.instancePath} ${e.message ?? 'invalid'}`);
        throw new Error(`${op.operationId} answered ${res.statusCode} with a body the contract does not allow: ${errors.join('; ')}`);
      }
      return send(body);
    };
    next();
  };
}
