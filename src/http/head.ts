import type { Request, RequestHandler } from 'express';

// HEAD is GET without the body (RFC 9110 §9.3.2): Express routes it to the GET handlers and Node
// drops the body it writes. The contract documents only GET, so around the validator a HEAD is
// shown as the GET it stands for, then is a HEAD again for the routes and logs.

const WAS_HEAD = Symbol('was HEAD');
type Marked = Request & { [WAS_HEAD]?: true };

export const headAsGetForValidation: RequestHandler = (req, _res, next) => {
  if (req.method === 'HEAD') {
    req.method = 'GET';
    (req as Marked)[WAS_HEAD] = true;
  }
  next();
};

export const headAgain: RequestHandler = (req, _res, next) => {
  if ((req as Marked)[WAS_HEAD]) req.method = 'HEAD';
  next();
};
