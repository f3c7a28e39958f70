import { localServers } from '../src/index.js';

describe('localServers', () => {
  it('given no overrides, when read, then every server is on loopback at config.env ports', () => {
    const servers = localServers({});

    expect(servers.kafkaBrokers).toEqual(['127.0.0.1:19092']);
    expect(servers.postgresUrl).toContain('@127.0.0.1:15432/');
    expect(servers.redisUrl).toBe('redis://127.0.0.1:16379');
    expect(servers.mailpitSmtpUrl).toBe('smtp://127.0.0.1:11025');
    expect(servers.mailpitUrl).toBe('http://127.0.0.1:18025');
    expect(servers.smsSinkUrl).toBe('http://127.0.0.1:18090');
    expect(servers.smsSinkCredentialsPath).toMatch(/\/\.local\/secrets\/sms-sink\.json$/);
  });

  it('given an environment override, when read, then the override wins', () => {
    const servers = localServers({ MSA_REDIS_PORT: '26379', MSA_SMS_SINK_PORT: '28090' });

    expect(servers.redisUrl).toBe('redis://127.0.0.1:26379');
    expect(servers.smsSinkUrl).toBe('http://127.0.0.1:28090');
  });

  it('given a port that is not a number, when read, then it names the variable', () => {
    expect(() => localServers({ MSA_KAFKA_PORT: 'nine' })).toThrow(/MSA_KAFKA_PORT/);
  });
});
