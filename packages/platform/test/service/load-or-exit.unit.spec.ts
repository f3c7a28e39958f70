import { z } from 'zod';
import { env, loadConfig, loadOrExit } from '../../src/index.js';

const schema = z.object({ PORT: env.port().default(8081), DATABASE_URL: env.url() });

/** Stands in for `process.exit`: throws, so the test sees the code and nothing after it runs. */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`exited ${code}`);
  }
}

function captured(): { readonly written: string[]; readonly stderr: { write(text: string): void }; exit(code: number): never } {
  const written: string[] = [];
  return {
    written,
    stderr: { write: (text) => written.push(text) },
    exit: (code) => {
      throw new Exited(code);
    },
  };
}

describe('loadOrExit', () => {
  it('given a valid environment, when loaded, then the configuration comes back and nothing is written', () => {
    const io = captured();

    const config = loadOrExit('orders service', () => loadConfig(schema, { DATABASE_URL: 'postgres://db/orders' }), io);

    expect(config).toEqual({ PORT: 8081, DATABASE_URL: 'postgres://db/orders' });
    expect(io.written).toEqual([]);
  });

  it('given a bad port and no database URL, when loaded, then stderr names both after the program and it exits 1', () => {
    const io = captured();

    expect(() => loadOrExit('orders service', () => loadConfig(schema, { PORT: 'http' }), io)).toThrow(new Exited(1));
    expect(io.written.join('')).toBe(
      'orders service: invalid configuration:\n  PORT: expected an integer, got "http"\n  DATABASE_URL: required but not set\n',
    );
  });

  it('given a loader that fails for another reason, when loaded, then the error is thrown on and the program does not exit', () => {
    const io = captured();
    const broken = () => {
      throw new TypeError('not a configuration problem');
    };

    expect(() => loadOrExit('orders service', broken, io)).toThrow(TypeError);
    expect(io.written).toEqual([]);
  });
});
