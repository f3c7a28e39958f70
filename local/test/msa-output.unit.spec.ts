import { formatServices, humanLogLine, parseCatalogGroups } from '../src/cli/msa-output.js';
import { serviceSettings } from '../src/cli/msa-settings.js';

const groups = [
  {
    group: 'user.read-model',
    service: 'user',
    purpose: 'projects user profiles into the read model',
    topics: [
      { topic: 'user.profile.created', deadLetterTopic: 'user.profile.created.DLT' },
      { topic: 'user.profile.updated', deadLetterTopic: 'user.profile.updated.DLT' },
    ],
  },
  { group: 'order.saga', service: 'order', purpose: 'runs orders', topics: [] },
];

describe('msa: what it prints', () => {
  it('given the platform’s groups, when services are listed, then each shows where it runs, then its groups, topics and DLTs', () => {
    const lines = formatServices([serviceSettings('user', {}, ['user'])], parseCatalogGroups(JSON.stringify({ groups })));

    expect(lines).toEqual([
      'user: http://127.0.0.1:8081, database postgres://msa:msa@127.0.0.1:15432/user, read models in MongoDB database user',
      '  group user.read-model: projects user profiles into the read model',
      '    user.profile.created  dead letters in user.profile.created.DLT',
      '    user.profile.updated  dead letters in user.profile.updated.DLT',
    ]);
  });

  it('given a service without groups, when listed, then it says so', () => {
    expect(formatServices([serviceSettings('user', {}, ['user'])], [])).toContain('  no consumer groups in the catalog');
  });

  it('given output that is not the platform’s groups, when read, then it says so', () => {
    expect(() => parseCatalogGroups('{"groups":[{"group":"g"}]}')).toThrow('the platform printed groups msa cannot read');
  });

  it('given a pino line, when shown, then it reads as level, message and its own fields, the error by its message', () => {
    const line = JSON.stringify({
      level: 50,
      time: 1,
      pid: 2,
      hostname: 'h',
      service: 'user',
      msg: 'rebuild failed',
      collection: 'user_profiles_2',
      err: { type: 'Error', message: 'boom', stack: '...' },
    });

    expect(humanLogLine(line)).toBe('error rebuild failed {"collection":"user_profiles_2","err":"boom"}');
  });

  it('given a pino line with its level as a label, as the platform writes them, when shown, then the label leads', () => {
    const line = JSON.stringify({ level: 'fatal', time: '2026-12-01T21:23:03.587Z', service: 'user rebuild-read-model', msg: 'rebuild failed' });

    expect(humanLogLine(line)).toBe('fatal rebuild failed');
  });

  it.each([
    ['a progress line', 'user_profiles: 40 events applied, log position 40'],
    ['JSON that is no log line', '{"events":3}'],
    ['a JSON array', '[1,2]'],
  ])('given %s, when shown, then it passes as it is', (_case, line) => {
    expect(humanLogLine(line)).toBe(line);
  });
});
