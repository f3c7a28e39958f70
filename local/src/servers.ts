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
  /** Mailpit's SMTP server, without authentication: every mail sent locally lands there. */
  readonly mailpitSmtpUrl: string;
  /** Mailpit's HTTP API (under /api/v1) and web UI. */
  readonly mailpitUrl: string;
  /** The SMS sink: Twilio's Messages API for the local account, and GET /messages to read them. */
  readonly smsSinkUrl: string;
  /** The SMS sink's account sid and auth token, made once per state dir by local/up. */
  readonly smsSinkCredentialsPath: string;
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
    mailpitSmtpUrl: `smtp://${host}:${requirePort(config, 'MSA_MAILPIT_SMTP_PORT')}`,
    mailpitUrl: `http://${host}:${requirePort(config, 'MSA_MAILPIT_HTTP_PORT')}`,
    smsSinkUrl: `http://${host}:${requirePort(config, 'MSA_SMS_SINK_PORT')}`,
    smsSinkCredentialsPath: join(stateDir, 'secrets', 'sms-sink.json'),
  };
}
