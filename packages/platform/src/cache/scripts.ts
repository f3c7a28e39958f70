/**
 * The cache's Lua scripts. Each runs atomically on the server, which is what makes the generation
 * check and the write one step: no invalidation can fall between them.
 *
 * An entry is stored as `<family generation>:<key generation>\n<JSON>`; it is served only while both
 * generations are still the ones it was loaded under. A missing generation counts as 0.
 */

/**
 * KEYS: family generation, key generation, entry, lock. ARGV: lock token, lock ms (0: do not lock).
 * Returns `{1, json}` for a current entry, else `{0, stamp, locked}`: the generations to load under,
 * and whether this caller now holds the key's load lock.
 */
export const READ_SCRIPT = `
local stamp = (redis.call('GET', KEYS[1]) or '0') .. ':' .. (redis.call('GET', KEYS[2]) or '0')
local entry = redis.call('GET', KEYS[3])
if entry then
  local newline = string.find(entry, '\\n', 1, true)
  if newline and string.sub(entry, 1, newline - 1) == stamp then
    return {1, string.sub(entry, newline + 1)}
  end
end
local locked = 0
if tonumber(ARGV[2]) > 0 and redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[2], 'NX') then
  locked = 1
end
return {0, stamp, locked}
`;

/**
 * KEYS: family generation, key generation, entry, lock. ARGV: stamp read before loading, JSON, TTL
 * ms, lock token. Stores the entry only if the generations are still `stamp` (an invalidation since
 * the read means the loaded value may predate it), and releases the lock if this caller holds it.
 * Returns 1 when stored.
 */
export const WRITE_SCRIPT = `
local stamp = (redis.call('GET', KEYS[1]) or '0') .. ':' .. (redis.call('GET', KEYS[2]) or '0')
local stored = 0
if stamp == ARGV[1] then
  redis.call('SET', KEYS[3], stamp .. '\\n' .. ARGV[2], 'PX', ARGV[3])
  stored = 1
end
if redis.call('GET', KEYS[4]) == ARGV[4] then
  redis.call('DEL', KEYS[4])
end
return stored
`;

/**
 * KEYS: key generation, entry. ARGV: key generation TTL ms. Moves the key to a new generation (so a
 * load that read the old one cannot store) and drops the entry now rather than at its TTL.
 */
export const INVALIDATE_SCRIPT = `
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
`;
