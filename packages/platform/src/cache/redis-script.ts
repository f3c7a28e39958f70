import type { Redis } from 'ioredis';

/** A Lua script bound to a client: `run(keys, args)` sends it by digest, and its text only when the server lacks it. */
export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/**
 * Defines `lua` as command `name` on `client` (once per client), so each call is one EVALSHA round
 * trip; ioredis falls back to EVAL when the server has not seen the script (a restart, a failover).
 */
export function redisScript(client: Redis, name: string, keyCount: number, lua: string): RedisScript {
  if (!(name in client)) client.defineCommand(name, { numberOfKeys: keyCount, lua });
  const command = (client as unknown as Record<string, ScriptCommand>)[name];
  if (command === undefined) throw new Error(`redis script ${name} was not defined`);
  return (keys, args) => {
    if (keys.length !== keyCount) throw new RangeError(`redis script ${name} takes ${keyCount} keys, got ${keys.length}`);
    return command.call(client, ...keys, ...args);
  };
}
