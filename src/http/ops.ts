import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Registry } from 'prom-client';
import type { components } from '../../generated/reviews.js';
import type { ReplicaStatus } from '../data/read-pool.js';
import { noStore } from './caching.js';
import { readiness } from './readiness.js';
import type { OpenApiDocument } from './contract.js';

// Probes, metrics and docs: outside /v1 and the validator; probes and metrics are never cached.

type Health = components['schemas']['Health'];

export type OpsDeps = {
  doc: OpenApiDocument;
  ping: () => Promise<boolean>;
  replicas: () => ReplicaStatus[];
  circuits: () => Record<string, 'closed' | 'open' | 'half_open'>;
  registry: Registry;
};

export function opsRouter(deps: OpsDeps): Router {
  const router = express.Router();
  // no-store per route: a router.use() here would run for every request, /v1 included
  router.get(['/livez', '/readyz', '/metrics', '/openapi.json'], noStore);

  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const replicas = deps.replicas();
    const body: Health = readiness(await deps.ping(), replicas);
    const circuits = deps.circuits();
    if (Object.keys(circuits).length > 0) body.circuits = circuits;
    // replicas are reported, never required: while they are down the primary serves public reads
    if (replicas.length > 0) {
      body.replicas = replicas.map((r) => ({ name: r.name, healthy: r.healthy, replay_lsn: r.replayLsn, lag_bytes: r.lagBytes ?? null, reads: r.reads }));
    }
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });

  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(deps.doc);
  });

  const options = { customSiteTitle: 'RandomCameraReviews API' };
  // /docs answers 200 itself, as the contract says (not a redirect to /docs/): a <base> makes the
  // page's relative asset URLs resolve under /docs/, where they are served
  const page = swaggerUi.generateHTML(deps.doc, options).replace('<head>', '<head>\n  <base href="/docs/">');
  router.get('/docs', (req, res, next) => (req.path === '/docs' ? res.type('html').send(page) : next()));
  router.use('/docs', swaggerUi.serve, swaggerUi.setup(deps.doc, options));
  return router;
}
