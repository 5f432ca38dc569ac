import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import YAML from 'yaml';
import { haproxyConfig } from '../../bench/cluster/haproxy.js';
import { instanceEnv, PROBES } from '../../bench/cluster/instance-env.js';
import { createSlots } from '../../bench/cluster/instances.js';
import { RSS_TARGET_MB } from '../../bench/cluster/memory-rows.js';
import { PRODUCTION_NODE_OPTIONS } from '../../bench/processes/service-server.js';
import { loadConfig } from '../../src/config.js';

// deploy/k8s/ against the Kubernetes schemas (kubernetes-models), and in step with what else runs
// the service: compose.yaml, the Dockerfile, the cluster test (npm run cluster:test) and src/config.ts.

const DIR = 'deploy/k8s';
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
type Container = {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: { memory?: string }; limits?: { memory?: string } };
};
type PodSpec = { containers: Container[]; terminationGracePeriodSeconds?: number };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests: Manifest[] = files.flatMap((f) =>
  YAML.parseAllDocuments(readFileSync(path.join(DIR, f), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${f}: ${doc.errors.join('; ')}`);
    return doc.toJS() as Manifest;
  }),
);
const one = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} in ${DIR}, found ${found.length}`);
  return found[0] as Manifest;
};
const deployment = one('Deployment') as Manifest & {
  spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};
const api = deployment.spec.template.spec.containers[0] as Container;
const job = one('Job') as Manifest & { spec: { template: { spec: PodSpec } } };
const configMap = one('ConfigMap') as Manifest & { data: Record<string, string> };
const compose = YAML.parse(readFileSync('compose.yaml', 'utf8')) as { services: { api: { environment: Record<string, string>; ports: string[] } } };
const dockerfile = readFileSync('Dockerfile', 'utf8');
// the service's variables (docs/configuration.md is generated from src/config.ts), and Node's own
const configVariables = new Set(['NODE_OPTIONS', ...[...readFileSync('docs/configuration.md', 'utf8').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1])]);
const k8sVariables = new Set([...Object.keys(configMap.data), ...(api.env ?? []).map((e) => e.name)]);
const mebibytes = (quantity: string | undefined) => Number(/^(\d+)Mi$/.exec(quantity ?? '')?.[1] ?? NaN);

describe('deploy/k8s manifests', () => {
  test('when each manifest is checked against the Kubernetes schemas, then every one is valid', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind} (${manifest.metadata.name})`);
      expect(() => new Model(manifest as never).validate()).not.toThrow();
    }
  });

  test('when a manifest breaks the schema (a port given as text), then validation fails', () => {
    const broken = structuredClone<typeof deployment>(deployment);
    (broken.spec.template.spec.containers[0] as { ports: unknown[] }).ports = [{ name: 'http', containerPort: '3000' }];
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort/);
  });

  test('when kustomize builds the folder, then it includes every manifest', () => {
    const kustomization = YAML.parse(readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
  });

  test('when the pods start, then they get the production settings the Dockerfile and the cluster test use', () => {
    expect(configMap.data.NODE_OPTIONS).toBe(PRODUCTION_NODE_OPTIONS);
    expect(dockerfile).toContain(`NODE_OPTIONS="${PRODUCTION_NODE_OPTIONS}"`);
    expect(configMap.data.NODE_ENV).toBe('production');
    // the ConfigMap plus placeholder secrets is a configuration the service accepts in production
    const secrets = { DATABASE_URL: 'postgres://reviews:secret@db:5432/reviews', JWT_SECRET: 'k'.repeat(32) };
    expect(() => loadConfig({ ...configMap.data, ...secrets })).not.toThrow();
  });

  test('when the names of environment variables are compared, then compose, the cluster test and the manifests use the ones src/config.ts reads', () => {
    const unknown = [...k8sVariables].filter((name) => !configVariables.has(name));
    expect(unknown).toEqual([]);
    expect(Object.keys(compose.services.api.environment).filter((name) => !k8sVariables.has(name))).toEqual([]);
    // the cluster test's only additions: quotas raised so one editor can post > 1,000 reviews in minutes
    const clusterEnv = Object.keys(instanceEnv({ primaryUrl: 'postgres://a', replicaUrl: 'postgres://b', redisUrl: 'redis://c' }, 'k'.repeat(32), 1));
    expect(clusterEnv.filter((name) => !k8sVariables.has(name))).toEqual(['REVIEWS_PER_HOUR', 'EDITOR_REQUESTS_PER_MINUTE']);
    expect(clusterEnv.filter((name) => !configVariables.has(name))).toEqual([]);
  });

  test('when probes and ports are compared, then the Deployment, haproxy, the Dockerfile and compose agree', () => {
    expect(api.readinessProbe?.httpGet?.path).toBe(PROBES.readiness);
    expect(api.livenessProbe?.httpGet?.path).toBe(PROBES.liveness);
    expect(haproxyConfig(1, '/tmp/s', createSlots([2]))).toContain(`option httpchk GET ${PROBES.readiness}`);
    expect(dockerfile).toContain(`/readyz`);
    const port = Number(configMap.data.PORT);
    expect(api.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: port })]);
    expect(dockerfile).toMatch(new RegExp(`PORT=${port}\\b`));
    expect(compose.services.api.ports).toContain(`${port}:${port}`);
    const service = one('Service') as Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } };
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
  });

  test('when a pod is stopped, then its grace period covers the preStop wait and the service shutdown timeout', () => {
    const preStop = api.lifecycle?.preStop?.exec?.command ?? [];
    expect(preStop[0]).toBe('sleep');
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    expect(grace).toBeGreaterThan(Number(preStop[1]) + Number(configMap.data.SHUTDOWN_TIMEOUT_MS) / 1000);
  });

  test('when memory is reserved, then the request holds the RSS the cluster test allows an instance and the limit leaves room', () => {
    const request = mebibytes(api.resources?.requests?.memory) * 1.048576;
    const limit = mebibytes(api.resources?.limits?.memory) * 1.048576;
    expect(request).toBeGreaterThanOrEqual(RSS_TARGET_MB);
    expect(limit).toBeGreaterThan(request);
  });

  test('when the disruption budget, autoscaler and migration Job are read, then they target this Deployment and its image', () => {
    const pdb = one('PodDisruptionBudget') as Manifest & { spec: { selector: { matchLabels: Record<string, string> } } };
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    const hpa = one('HorizontalPodAutoscaler') as Manifest & { spec: { scaleTargetRef: { kind: string; name: string } } };
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    const migrate = job.spec.template.spec.containers[0] as Container;
    expect(migrate.image).toBe(api.image);
    // the compiled path of src/cli/migrate.ts, which the cluster test runs before its instances
    expect(migrate.command).toEqual(['node', 'dist/src/cli/migrate.js']);
    expect(readdirSync('src/cli')).toContain('migrate.ts');
    for (const container of [api, migrate]) {
      expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
      expect(new Set((container.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name))).toEqual(new Set(['reviews-api']));
    }
  });
});
