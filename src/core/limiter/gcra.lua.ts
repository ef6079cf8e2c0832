// The Redis side of gcra.ts: ONE script per operation kind, all in one Lua source so one SHA is
// loaded. Time comes from Redis TIME (instance clocks may disagree); state is one 32-byte string per
// rate-limit bucket (struct-packed doubles: TAT per dimension, then pause-until, all Redis-time ms),
// read with GET and written with SET PX: a hash with HMGET/HSET/PEXPIRE and string-formatted fields
// took twice the server time per call (~21 vs ~11 us measured in one EVAL of 20,000 calls).
// KEYS[1] = '{namespace:bucket}' (the hash tag keeps a bucket's state in one Cluster slot).
// ARGV = op, rpm, itpm, otpm, burstSeconds, timeScale, a1, a2, a3 [, a4 .. a9].
//   acquire: a1..a3 = costs; a4..a6 = settle deltas folded in (optional), a7..a9 = deficits to sync
//            (optional); both are applied before the reservation -> { waitUs, sendAtUs } (integers)
//   acquireq: a1..a3 = costs, a4..a6 = quota wanted (q1 requests and their tokens), then deltas and
//            deficits as for acquire. The costs are reserved as by acquire; then as many whole requests
//            of the quota as fit at the same send time without making it later are debited there too
//            -> { waitUs, sendAtUs, quotaRequests }. (Only the Redis store has a quota: not in gcra.ts.)
//   adjust:  a1..a3 = actual-reserved, a4..a6 = deficits to sync (optional) -> 'OK'
//   sync:    a = deficits       -> 'OK'
//   pause:   a1 = ms            -> 'OK'
export const GCRA_LUA = `
local key = KEYS[1]
local op = ARGV[1]
local burst = tonumber(ARGV[5])
local scale = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
-- pcall: a key left in another type (an older release kept a hash here) reads as empty; SET replaces it.
local s = redis.pcall('GET', key)
local tat1, tat2, tat3, pause = 0, 0, 0, 0
if type(s) == 'string' and #s == 32 then tat1, tat2, tat3, pause = struct.unpack('<dddd', s) end
local tat = { tat1, tat2, tat3 }
local lim = { tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]) }
local tau = burst * 1000 / scale
-- rate of dimension d per ms = lim[d] * k
local k = scale / 60000
local function adjust(at)
  for d = 1, 3 do
    local delta = tonumber(ARGV[at + d])
    if lim[d] > 0 and delta ~= 0 then
      local base = tat[d]
      if now > base then base = now end
      local nxt = base + delta / (lim[d] * k)
      if nxt < now then nxt = now end
      tat[d] = nxt
    end
  end
end
local function sync(at)
  for d = 1, 3 do
    local deficit = tonumber(ARGV[at + d])
    if lim[d] > 0 and deficit > 0 then
      local x = now + deficit / (lim[d] * k)
      if x > tat[d] then tat[d] = x end
    end
  end
end
local result = 'OK'
if op == 'acquire' or op == 'acquireq' then
  local extra = 0
  if op == 'acquireq' then extra = 3 end
  if ARGV[10 + extra] then adjust(9 + extra) end
  if ARGV[13 + extra] then sync(12 + extra) end
  local send = now
  if pause > send then send = pause end
  local c = { tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]) }
  for d = 1, 3 do
    if lim[d] > 0 and c[d] > 0 then
      local cap = lim[d] * burst / 60
      local cc = c[d]
      if cc > cap then cc = cap end
      local x = tat[d] + cc / (lim[d] * k) - tau
      if x > send then send = x end
    end
  end
  for d = 1, 3 do
    if lim[d] > 0 and c[d] > 0 then
      local base = tat[d]
      if send > base then base = send end
      tat[d] = base + c[d] / (lim[d] * k)
    end
  end
  -- Integers in microseconds: a Lua number reply is truncated to an integer, strings cost a format.
  result = { math.floor((send - now) * 1000 + 0.5), math.floor(send * 1000 + 0.5) }
  if op == 'acquireq' then
    local q = { tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]) }
    -- The share of the quota every dimension still holds at the send time, without waiting.
    local f = 1
    for d = 1, 3 do
      if lim[d] > 0 and q[d] > 0 then
        local base = tat[d]
        if send > base then base = send end
        local g = (send + tau - base) * lim[d] * k / q[d]
        if g < f then f = g end
      end
    end
    local n = 0
    if q[1] > 0 and f > 0 then n = math.floor(f * q[1] + 1e-9) end
    if n > 0 then
      for d = 1, 3 do
        if lim[d] > 0 and q[d] > 0 then
          local base = tat[d]
          if send > base then base = send end
          tat[d] = base + q[d] * n / q[1] / (lim[d] * k)
        end
      end
    end
    result[3] = n
  end
elseif op == 'adjust' then
  adjust(6)
  if ARGV[10] then sync(9) end
elseif op == 'sync' then
  sync(6)
elseif op == 'pause' then
  local x = now + tonumber(ARGV[7])
  if x > pause then pause = x end
else
  return redis.error_reply('unknown op ' .. tostring(op))
end
-- Forget an idle bucket once it is full again (and a minute more).
local last = pause
for d = 1, 3 do if tat[d] > last then last = tat[d] end end
local ttl = math.floor(last - now + tau + 60000)
if ttl < 1000 then ttl = 1000 end
redis.call('SET', key, struct.pack('<dddd', tat[1], tat[2], tat[3], pause), 'PX', ttl)
return result
`;

/** The fixed-window baseline: INCR + PEXPIRE on a key per window (the widely copied pattern). */
export const FIXED_WINDOW_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;
