import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Registry } from 'prom-client';
import { noStore } from './caching.js';
import type { OpenApiDocument } from './contract.js';

// Probes, metrics and docs: outside /v1 and the validator; probes and metrics are never cached.

export function opsRouter(deps: { doc: OpenApiDocument; ping: () => Promise<boolean>; registry: Registry }): Router {
  const router = express.Router();
  // no-store per route: a router.use() here would run for every request, /v1 included
  router.get(['/livez', '/readyz', '/metrics', '/openapi.json'], noStore);

  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const database = (await deps.ping()) ? 'ok' : 'unavailable';
    res.status(database === 'ok' ? 200 : 503).json({ status: database, checks: { database } });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(deps.doc);
  });

  router.use('/docs', swaggerUi.serve, swaggerUi.setup(deps.doc, { customSiteTitle: 'RandomCameraReviews API' }));
  return router;
}
