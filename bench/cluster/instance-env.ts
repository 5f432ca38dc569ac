import { PRODUCTION_NODE_OPTIONS } from '../processes/service-server.js';

// The environment every instance of the cluster test runs with: the production settings that
// deploy/k8s/ (ConfigMap + Secret) and compose.yaml give the service, on loopback addresses.
// tests/deploy/k8s-manifests.test.ts checks that these names, the probe paths and the port agree
// with the manifests and compose.yaml.

export type ClusterAddresses = { primaryUrl: string; replicaUrl: string; redisUrl: string };

export const PROBES = { readiness: '/readyz', liveness: '/livez' } as const;

/** The admin the load posts as (created by the instances at start, as BOOTSTRAP_ADMIN_* do in production). */
export const LOAD_EDITOR = { email: 'cluster-load@example.com', password: 'Vq7-tripod-aperture-lens-42' };

export function instanceEnv(addresses: ClusterAddresses, jwtSecret: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: addresses.primaryUrl,
    DATABASE_REPLICA_URLS: addresses.replicaUrl,
    // 3 instances × (4 primary + 4 replica connections): the pools ADR 0030 sizes for a 2-core server, shared
    DATABASE_POOL_MAX: '4',
    REDIS_URL: addresses.redisUrl,
    JWT_SECRET: jwtSecret,
    // haproxy on loopback appends the client address to X-Forwarded-For
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '10000',
    BOOTSTRAP_ADMIN_EMAIL: LOAD_EDITOR.email,
    BOOTSTRAP_ADMIN_PASSWORD: LOAD_EDITOR.password,
    // the load posts > 1,000 reviews as one editor in minutes; the per-address sign-in quota
    // (AUTH_REQUESTS_PER_MINUTE, default 30) is the limit the test proves shared through Redis
    REVIEWS_PER_HOUR: '100000',
    EDITOR_REQUESTS_PER_MINUTE: '100000',
  };
}
