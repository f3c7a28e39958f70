import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { ServerWorkload, type ServerWorkloadProps } from '../constructs/server-workload.js';
import { egressTo, ingressFrom, ingressOpen } from '../constructs/network-peers.js';
import { httpProbe, tcpProbe } from '../constructs/pod-security.js';
import { labelsOf, PORTS, POSTGRES_CREDENTIALS, SERVICES, type Dependency, type ProgramSpec } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface DataChartProps {
  readonly namespace: string;
  readonly profile: Profile;
  readonly programs: readonly ProgramSpec[];
}

const readiness = { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 };
const liveness = { initialDelaySeconds: 30, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 };

/** The superuser's name and password, from `msa-postgres-credentials`, as `POSTGRES_USER` and `POSTGRES_PASSWORD`. */
export const postgresCredentialsEnv: readonly k8s.EnvVar[] = [
  { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: POSTGRES_CREDENTIALS, key: 'username' } } },
  { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: POSTGRES_CREDENTIALS, key: 'password' } } },
];

/**
 * The stores: PostgreSQL (a database per service, and FerretDB's), MongoDB or FerretDB on that
 * PostgreSQL as the profile says, Redis (a cache and the token revocations; nothing to keep) and
 * Mailpit, which catches the notification service's mail. Each admits only the programs whose
 * dependencies name it.
 */
export class DataChart extends Chart {
  constructor(scope: Construct, id: string, props: DataChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { namespace, profile, programs } = props;
    const clientsOf = (dependency: Dependency) => programs.filter((p) => p.dependencies.includes(dependency)).map((p) => p.name);
    const ferretdb = profile.mongo === 'ferretdb';

    // A database per service, and FerretDB's, made on the first start in the image's own way.
    const databases = [...SERVICES, ...(ferretdb ? ['ferretdb'] : [])];
    const creation: Pick<ServerWorkloadProps, 'env' | 'configMaps' | 'scratchPaths'> =
      profile.postgresDatabases === 'database-list'
        ? { env: [{ name: 'POSTGRES_DB', value: databases.join(',') }] }
        : {
            configMaps: {
              '/docker-entrypoint-initdb.d': new k8s.KubeConfigMap(this, 'postgres-init', {
                metadata: { name: 'msa-postgres-init', namespace, labels: labelsOf('postgres', 'server') },
                data: { '01-databases.sql': databases.map((database) => `CREATE DATABASE "${database}";`).join('\n') + '\n' },
              }).name,
            },
            // The official image's socket directory; ours puts its sockets in /tmp.
            scratchPaths: ['/var/run/postgresql'],
          };
    new ServerWorkload(this, 'postgres', {
      namespace,
      profile,
      name: 'postgres',
      image: 'postgres',
      ports: [{ name: 'postgres', port: PORTS.postgres }],
      env: [...postgresCredentialsEnv, { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }, ...(creation.env ?? [])],
      dataPath: '/var/lib/postgresql/data',
      ...(creation.configMaps === undefined ? {} : { configMaps: creation.configMaps }),
      ...(creation.scratchPaths === undefined ? {} : { scratchPaths: creation.scratchPaths }),
      resources: { cpu: ['100m', '1'], memory: ['256Mi', '1Gi'] },
      readinessProbe: tcpProbe('postgres', readiness),
      livenessProbe: tcpProbe('postgres', liveness),
      ingress: [ingressFrom([...clientsOf('postgres'), ...(ferretdb ? ['mongo'] : [])], [PORTS.postgres])],
    });

    const mongoClients = [ingressFrom(clientsOf('mongo'), [PORTS.mongo])];
    if (ferretdb) {
      new ServerWorkload(this, 'mongo', {
        namespace,
        profile,
        name: 'mongo',
        image: 'ferretdb',
        ports: [
          { name: 'mongo', port: PORTS.mongo },
          { name: 'debug', port: 8088 },
        ],
        env: [
          ...postgresCredentialsEnv,
          // The password must be URL-safe: the local node's deploy makes it of hex digits.
          { name: 'FERRETDB_POSTGRESQL_URL', value: `postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@msa-postgres:${PORTS.postgres}/ferretdb` },
          { name: 'FERRETDB_HANDLER', value: 'postgresql' },
          { name: 'FERRETDB_LISTEN_ADDR', value: `:${PORTS.mongo}` },
          { name: 'FERRETDB_DEBUG_ADDR', value: ':8088' },
          { name: 'FERRETDB_STATE_DIR', value: '/tmp' },
          { name: 'FERRETDB_TELEMETRY', value: 'disable' },
          { name: 'FERRETDB_LOG_LEVEL', value: 'warn' },
        ],
        resources: { cpu: ['50m', '500m'], memory: ['64Mi', '256Mi'] },
        readinessProbe: httpProbe('/debug/readyz', 'debug', readiness),
        livenessProbe: httpProbe('/debug/livez', 'debug', liveness),
        ingress: mongoClients,
        egress: [egressTo('postgres', profile)],
      });
    } else {
      new ServerWorkload(this, 'mongo', {
        namespace,
        profile,
        name: 'mongo',
        image: 'mongo',
        ports: [{ name: 'mongo', port: PORTS.mongo }],
        args: ['--bind_ip_all', '--port', String(PORTS.mongo)],
        dataPath: '/data/db',
        scratchPaths: ['/data/configdb'],
        resources: { cpu: ['100m', '1'], memory: ['256Mi', '1Gi'] },
        readinessProbe: tcpProbe('mongo', readiness),
        livenessProbe: tcpProbe('mongo', liveness),
        ingress: mongoClients,
      });
    }

    new ServerWorkload(this, 'redis', {
      namespace,
      profile,
      name: 'redis',
      image: 'redis',
      ports: [{ name: 'redis', port: PORTS.redis }],
      // Nothing to keep: a lost cache refills, and a revocation outlives no token (they last at most a day).
      command: ['redis-server'],
      args: ['--port', String(PORTS.redis), '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--dir', '/data'],
      scratchPaths: ['/data'],
      resources: { cpu: ['20m', '500m'], memory: ['32Mi', '128Mi'] },
      readinessProbe: tcpProbe('redis', readiness),
      livenessProbe: tcpProbe('redis', liveness),
      ingress: [ingressFrom(clientsOf('redis'), [PORTS.redis])],
    });

    new ServerWorkload(this, 'mailpit', {
      namespace,
      profile,
      name: 'mailpit',
      image: 'mailpit',
      ports: [
        { name: 'smtp', port: PORTS.smtp },
        { name: 'http', port: PORTS.mailpitHttp },
      ],
      env: [
        { name: 'MP_SMTP_BIND_ADDR', value: `0.0.0.0:${PORTS.smtp}` },
        { name: 'MP_UI_BIND_ADDR', value: `0.0.0.0:${PORTS.mailpitHttp}` },
        { name: 'MP_MAX_MESSAGES', value: '5000' },
      ],
      resources: { cpu: ['10m', '200m'], memory: ['32Mi', '128Mi'] },
      readinessProbe: httpProbe('/readyz', 'http', readiness),
      livenessProbe: httpProbe('/livez', 'http', liveness),
      // Mail only from its senders; the web UI and API from anyone who may reach the namespace.
      ingress: [ingressFrom(clientsOf('mailpit'), [PORTS.smtp]), ingressOpen([PORTS.mailpitHttp])],
    });
  }
}
