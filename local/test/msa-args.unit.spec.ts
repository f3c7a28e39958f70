import { parseMsaArgs, platformInvocation } from '../src/cli/msa-args.js';
import { MsaUsageError } from '../src/cli/msa-settings.js';

const KNOWN = ['user'];
const USER_ENV = { DATABASE_URL: 'postgres://msa:msa@127.0.0.1:15432/user', KAFKA_BROKERS: '127.0.0.1:19092' };

describe('msa: its command line', () => {
  it.each([
    ['nothing', []],
    ['help', ['help']],
    ['--help', ['--help']],
    ['rebuild --help', ['rebuild', '--help']],
    ['services --help', ['services', '-h']],
  ])('given %s, when read, then it asks for the usage', (_case, argv) => {
    expect(parseMsaArgs(argv)).toEqual({ kind: 'help' });
  });

  it.each([
    ['dlt list', ['dlt', 'list', '--service', 'user', '--topic', 't', '--group', 'g'], 'user', ['list', '--topic', 't', '--group', 'g']],
    ['dlt replay', ['dlt', 'replay', '--service=user', '--topic', 't', '--execute'], 'user', ['replay', '--topic', 't', '--execute']],
    ['outbox list', ['outbox', 'list', '--service', 'user', '--json'], 'user', ['outbox', 'list', '--json']],
    ['prune-inbox', ['prune-inbox', '--execute', '--service', 'user'], 'user', ['prune-inbox', '--execute']],
    ['dlt groups, whose --service is its own', ['dlt', 'groups', '--service', 'user'], undefined, ['groups', '--service', 'user']],
    ['dlt alone', ['dlt'], undefined, ['--help']],
    ['a --service after --', ['dlt', 'release', '--key', 'k', '--', '--service', 'x'], undefined, ['release', '--key', 'k', '--', '--service', 'x']],
  ])('given %s, when read, then it is the platform command without --service', (_case, argv, service, args) => {
    expect(parseMsaArgs(argv)).toEqual({ kind: 'platform', service, args });
  });

  it('given rebuild with a read model, when read, then it names the service and the read model', () => {
    expect(parseMsaArgs(['rebuild', '--service', 'user', '--read-model', 'user_profiles'])).toEqual({
      kind: 'rebuild',
      service: 'user',
      readModel: 'user_profiles',
      databaseUrl: undefined,
    });
  });

  it.each([
    ['an unknown command', ['frob'], 'msa has no command "frob"'],
    ['an unknown dlt command', ['dlt', 'purge'], 'msa dlt has no command "purge"; it has list, inspect, replay, release, groups'],
    ['a rebuild without a service', ['rebuild'], 'msa rebuild needs --service <name>'],
    ['a rebuild with something else', ['rebuild', '--service', 'user', '--all'], 'msa rebuild does not take --all'],
    ['a --service without a value', ['dlt', 'list', '--service', '--topic', 't'], '--service needs a value'],
    ['two services', ['outbox', 'list', '--service', 'user', '--service=order'], '--service is given twice'],
  ])('given %s, when read, then it is refused saying why', (_case, argv, message) => {
    expect(() => parseMsaArgs(argv)).toThrow(new MsaUsageError(message));
  });
});

describe('msa: the settings a platform command runs with', () => {
  it('given --service, when resolved, then the platform gets that service’s database and the local Kafka', () => {
    const invocation = platformInvocation({ kind: 'platform', service: 'user', args: ['list'] }, {}, KNOWN);

    expect(invocation).toEqual({ args: ['list'], env: USER_ENV });
  });

  it('given --service and --database-url, when resolved, then the option stays for the platform, which reads it before its environment', () => {
    const args = ['list', '--database-url', 'postgres://elsewhere/db', '--brokers', 'k:9092'];

    expect(platformInvocation({ kind: 'platform', service: 'user', args }, {}, KNOWN).args).toEqual(args);
  });

  it('given an unknown service, when resolved, then it is refused naming the known ones', () => {
    expect(() => platformInvocation({ kind: 'platform', service: 'shop', args: ['list'] }, {}, KNOWN)).toThrow(
      'unknown service "shop": the local platform runs user',
    );
  });

  it('given no service and no database, when resolved, then it asks for one, naming the known services', () => {
    expect(() => platformInvocation({ kind: 'platform', service: undefined, args: ['list'] }, {}, KNOWN)).toThrow(
      'give --service <name> (the local platform runs user), or --database-url',
    );
  });

  it.each([
    ['--database-url', ['list', '--database-url', 'postgres://elsewhere/db'], {}],
    ['DATABASE_URL', ['list'], { DATABASE_URL: 'postgres://elsewhere/db' }],
    ['groups, which needs none', ['groups'], {}],
    ['help', ['list', '--help'], {}],
  ])('given no service but %s, when resolved, then Kafka is the local one and the database is left to the platform', (_case, args, env) => {
    expect(platformInvocation({ kind: 'platform', service: undefined, args }, env, KNOWN)).toEqual({
      args,
      env: { KAFKA_BROKERS: '127.0.0.1:19092' },
    });
  });
});
