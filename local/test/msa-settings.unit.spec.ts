import { localServiceNames, MsaUsageError, serviceCommandEnvironment, serviceSettings } from '../src/cli/msa-settings.js';

describe('msa: a service’s local settings', () => {
  it('given local/lib/services.sh, when read, then its SERVICES are the services msa knows, in start order', () => {
    expect(localServiceNames()).toContain('user');
    expect(localServiceNames('# comment\nSERVICES=(user product  order)\nother() { :; }\n')).toEqual(['user', 'product', 'order']);
  });

  it('given a script without a SERVICES line, when read, then it says so', () => {
    expect(() => localServiceNames('echo hi\n')).toThrow('local/lib/services.sh has no SERVICES=(...) line');
  });

  it('given a known service, when resolved, then it gets the database named after it and the local Kafka, as local/up gives them', () => {
    const user = serviceSettings('user', {}, ['user']);

    expect(user).toEqual({
      name: 'user',
      port: 8081,
      databaseUrl: 'postgres://msa:msa@127.0.0.1:15432/user',
      kafkaBrokers: ['127.0.0.1:19092'],
      mongoUrl: 'mongodb://127.0.0.1:27027/',
      mongoDatabase: 'user',
      redisUrl: 'redis://127.0.0.1:16379',
    });
  });

  it('given port overrides in the environment, when resolved, then they win, as for the local servers', () => {
    const user = serviceSettings('user', { MSA_POSTGRES_PORT: '25432', MSA_KAFKA_PORT: '29092', MSA_USER_PORT: '9081' }, ['user']);

    expect(user.databaseUrl).toBe('postgres://msa:msa@127.0.0.1:25432/user');
    expect(user.kafkaBrokers).toEqual(['127.0.0.1:29092']);
    expect(user.port).toBe(9081);
  });

  it('given an unknown service, when resolved, then it is refused naming the services the local platform runs', () => {
    const resolve = () => serviceSettings('shop', {}, ['user', 'product']);

    expect(resolve).toThrow(MsaUsageError);
    expect(resolve).toThrow('unknown service "shop": the local platform runs user, product');
  });

  it('given a service, when its command environment is made, then it has its stores and no port or keys, quiet unless MSA_LOG_LEVEL says', () => {
    const user = serviceSettings('user', {}, ['user']);

    expect(serviceCommandEnvironment(user, {})).toEqual({
      DATABASE_URL: 'postgres://msa:msa@127.0.0.1:15432/user',
      KAFKA_BROKERS: '127.0.0.1:19092',
      MONGO_URL: 'mongodb://127.0.0.1:27027/',
      MONGO_DATABASE: 'user',
      REDIS_URL: 'redis://127.0.0.1:16379',
      LOG_LEVEL: 'warn',
    });
    expect(serviceCommandEnvironment(user, { MSA_LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
  });
});
