import { normalizeTopicConfig } from '../../src/reconcile/topic-config.js';

describe('normalizeTopicConfig', () => {
  it('given no config, when normalized, then it is empty', () => {
    expect(normalizeTopicConfig(undefined)).toEqual({ ok: true, config: {} });
  });

  it('given strings, numbers and booleans, when normalized, then each becomes the string Kafka stores', () => {
    const result = normalizeTopicConfig({
      'cleanup.policy': 'compact',
      'retention.ms': 7200000,
      'min.cleanable.dirty.ratio': 0.5,
      'retention.bytes': -1,
      'unclean.leader.election.enable': false,
      'preallocate': true,
    });

    expect(result).toEqual({
      ok: true,
      config: {
        'cleanup.policy': 'compact',
        'retention.ms': '7200000',
        'min.cleanable.dirty.ratio': '0.5',
        'retention.bytes': '-1',
        'unclean.leader.election.enable': 'false',
        'preallocate': 'true',
      },
    });
  });

  it('given a list, when normalized, then its items are joined with commas', () => {
    expect(normalizeTopicConfig({ 'cleanup.policy': ['compact', 'delete'] })).toEqual({
      ok: true,
      config: { 'cleanup.policy': 'compact,delete' },
    });
  });

  it('given a large integer written as a string, when normalized, then every digit is kept', () => {
    expect(normalizeTopicConfig({ 'retention.ms': '9223372036854775807' })).toEqual({
      ok: true,
      config: { 'retention.ms': '9223372036854775807' },
    });
  });

  it('given an integer beyond what JSON numbers carry exactly, when normalized, then it is refused naming the key', () => {
    const result = normalizeTopicConfig({ 'retention.ms': 2 ** 60 });

    expect(result).toEqual({
      ok: false,
      failure: expect.objectContaining({ reason: 'InvalidResource', retriable: false }) as unknown,
    });
    expect(!result.ok && result.failure.message).toMatch(/spec\.config\.retention\.ms .*quote it as a string/);
  });

  it('given null, an object and a nested list, when normalized, then each key is named in one InvalidResource failure', () => {
    const result = normalizeTopicConfig({ a: null, b: { x: 1 }, c: [['nested']], d: 'fine' });

    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.failure.message;
    expect(message).toContain('spec.config.a must be');
    expect(message).toContain('spec.config.b must be');
    expect(message).toContain('spec.config.c has a list item that must be');
    expect(message).not.toContain('spec.config.d');
  });
});
