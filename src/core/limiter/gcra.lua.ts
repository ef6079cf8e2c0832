// The Redis side of gcra.ts: ONE script per operation kind, all in one Lua source so one SHA is
// loaded. Time comes from Redis TIME (instance clocks may disagree); state is one hash per
// rate-limit bucket (fields tr/ti/to = TAT per dimension, p = pause until, all Redis-time ms).
// KEYS[1] = '{namespace:bucket}' (the hash tag keeps a bucket's state in one Cluster slot).
// ARGV = op, rpm, itpm, otpm, burstSeconds, timeScale, a1, a2, a3 [, a4, a5, a6].
//   acquire: a = costs          -> { waitMs, sendAtMs } as strings (Lua numbers would be truncated)
//   adjust:  a1..a3 = actual-reserved, a4..a6 = deficits to sync (optional) -> 'OK'
//            (a settle and its header re-sync share one round trip)
//   sync:    a = deficits       -> 'OK'
//   pause:   a1 = ms            -> 'OK'
export const GCRA_LUA = `
local key = KEYS[1]
local op = ARGV[1]
local burst = tonumber(ARGV[5])
local scale = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call('HMGET', key, 'tr', 'ti', 'to', 'p')
local tat = { tonumber(s[1]) or 0, tonumber(s[2]) or 0, tonumber(s[3]) or 0 }
local pause = tonumber(s[4]) or 0
local tau = burst * 1000 / scale
local result = 'OK'
local function rate(limit) return limit * scale / 60000 end
if op == 'acquire' then
  local send = now
  if pause > send then send = pause end
  for d = 1, 3 do
    local limit = tonumber(ARGV[1 + d])
    local c = tonumber(ARGV[6 + d])
    if limit > 0 and c > 0 then
      local cap = limit * burst / 60
      local cc = c
      if cc > cap then cc = cap end
      local x = tat[d] + cc / rate(limit) - tau
      if x > send then send = x end
    end
  end
  for d = 1, 3 do
    local limit = tonumber(ARGV[1 + d])
    local c = tonumber(ARGV[6 + d])
    if limit > 0 and c > 0 then
      local base = tat[d]
      if send > base then base = send end
      tat[d] = base + c / rate(limit)
    end
  end
  result = { string.format('%.4f', send - now), string.format('%.4f', send) }
elseif op == 'adjust' then
  for d = 1, 3 do
    local limit = tonumber(ARGV[1 + d])
    local delta = tonumber(ARGV[6 + d])
    if limit > 0 and delta ~= 0 then
      local base = tat[d]
      if now > base then base = now end
      local nxt = base + delta / rate(limit)
      if nxt < now then nxt = now end
      tat[d] = nxt
    end
  end
end
if op == 'sync' or (op == 'adjust' and ARGV[10]) then
  local at = 6
  if op == 'adjust' then at = 9 end
  for d = 1, 3 do
    local limit = tonumber(ARGV[1 + d])
    local deficit = tonumber(ARGV[at + d])
    if limit > 0 and deficit > 0 then
      local x = now + deficit / rate(limit)
      if x > tat[d] then tat[d] = x end
    end
  end
elseif op == 'pause' then
  local x = now + tonumber(ARGV[7])
  if x > pause then pause = x end
elseif op ~= 'adjust' and op ~= 'acquire' then
  return redis.error_reply('unknown op ' .. tostring(op))
end
redis.call('HSET', key, 'tr', string.format('%.4f', tat[1]), 'ti', string.format('%.4f', tat[2]),
  'to', string.format('%.4f', tat[3]), 'p', string.format('%.4f', pause))
-- Forget an idle bucket once it is full again (and a minute more).
local last = pause
for d = 1, 3 do if tat[d] > last then last = tat[d] end end
local ttl = math.floor(last - now + tau + 60000)
if ttl < 1000 then ttl = 1000 end
redis.call('PEXPIRE', key, ttl)
return result
`;

/** The fixed-window baseline: INCR + PEXPIRE on a key per window (the widely copied pattern). */
export const FIXED_WINDOW_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;
