import { runCli } from './run-cli.js';

// Each of these stops at the arguments or the settings, before anything connects.
describe('dlt command line arguments', () => {
  const database = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

  it.each([
    ['an inbox retention under a day', ['prune-inbox', '--retention', '12h'], "'12h' is invalid. must be at least 86400000 ms (1 day)"],
    ['an inbox retention that is no duration', ['prune-inbox', '--retention', 'forever'], 'expected a duration such as'],
    ['a prune batch of none', ['prune-inbox', '--batch-size', '0'], "option '--batch-size <n>' argument '0' is invalid"],
    ['a prune batch that is no number', ['prune-inbox', '--batch-size', 'many'], 'expected a non-negative integer'],
    ['a release without a key', ['release', '--topic', 'user.profile.created', '--group', 'user.read-model'], "required option '--key <key>' not specified"],
    ['a release of a dead-letter topic', ['release', '--topic', 'user.profile.created.DLT', '--group', 'g', '--key', 'k'], 'give the source topic'],
  ])('given %s, when run, then it is refused naming the option and exits 1', async (_case, args, message) => {
    const { err, exitCode } = await runCli(database, ...args);

    expect(exitCode).toBe(1);
    expect(err).toContain(message);
  });

  it('given no database, when prune-inbox runs without Kafka settings, then only the database is asked for', async () => {
    const { err, exitCode } = await runCli({}, 'prune-inbox');

    expect(exitCode).toBe(1);
    expect(err).toContain('DATABASE_URL');
    expect(err).not.toContain('KAFKA_BROKERS');
  });

  it('given a database but no brokers, when release runs, then the brokers are asked for', async () => {
    const { err, exitCode } = await runCli(database, 'release', '--topic', 'user.profile.created', '--group', 'g', '--key', 'k');

    expect(exitCode).toBe(1);
    expect(err).toContain('give --brokers or set KAFKA_BROKERS');
  });
});
