import { join } from 'node:path';
import { readLocalConfig, repoPath, requirePort, requireValue } from './config.js';

/** Where the servers that local/up starts listen, for tests and local tooling. */
export interface LocalServers {
  /** Kafka bootstrap address, host:port. */
  readonly kafkaBrokers: readonly string[];
  /** PostgreSQL superuser connection string to the `postgres` database. */
  readonly postgresUrl: string;
  /** MongoDB-wire (FerretDB) connection string. */
  readonly mongoUrl: string;
  /** Redis connection string. */
  readonly redisUrl: string;
  /** kubeconfig with cluster-admin rights on the local kube-apiserver. */
  readonly kubeconfigPath: string;
}

export const POSTGRES_USER = 'msa';
export const POSTGRES_PASSWORD = 'msa';

export function localServers(env: NodeJS.ProcessEnv = process.env): LocalServers {
  const config = readLocalConfig(env);
  const host = '127.0.0.1';
  const stateDir = repoPath(requireValue(config, 'MSA_STATE_DIR'));
  return {
    kafkaBrokers: [`${host}:${requirePort(config, 'MSA_KAFKA_PORT')}`],
    postgresUrl: `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${host}:${requirePort(config, 'MSA_POSTGRES_PORT')}/postgres`,
    mongoUrl: `mongodb://${host}:${requirePort(config, 'MSA_MONGO_PORT')}/`,
    redisUrl: `redis://${host}:${requirePort(config, 'MSA_REDIS_PORT')}`,
    kubeconfigPath: join(stateDir, 'kubeconfig'),
  };
}
