-- Shared by the load-bench scenarios (scripts/load-bench.sh): counts answers by kind in
-- each wrk thread and prints one SUMMARY line from done().
--   LOAD_NAME   the scenario's name, LOAD_CONNS its connections, LOAD_BACKEND the database
--   LOAD_IDS    comma-separated listing ids (detail, quote, write)
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

ids = {}
for id in string.gmatch(os.getenv("LOAD_IDS") or "", "%d+") do
  table.insert(ids, id)
end

-- Per thread: answers that are not 2xx, and 409s (expected refusals of the write).
bad = 0
conflicts = 0

function count_status(status)
  if status == 409 then
    conflicts = conflicts + 1
  elseif status < 200 or status > 299 then
    bad = bad + 1
  end
end

function response(status, headers, body)
  count_status(status)
end

local function thousands(n)
  local s = tostring(math.floor(n + 0.5))
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end

local function ms(us)
  local v = us / 1000
  if v < 10 then return string.format("%.2f", v) end
  return string.format("%.1f", v)
end

function done(summary, latency, requests)
  local bad_total, conflict_total = 0, 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + (t:get("bad") or 0)
    conflict_total = conflict_total + (t:get("conflicts") or 0)
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local errors = socket + bad_total
  local secs = summary.duration / 1e6
  local extra = ""
  if conflict_total > 0 then
    extra = string.format(", %s expected 409 conflicts", thousands(conflict_total))
  end
  io.write(string.format(
    "SUMMARY: load %s (%s, %s conns): %s req/s, p50 %s ms, p99 %s ms, %d errors%s\n",
    os.getenv("LOAD_NAME"), os.getenv("LOAD_BACKEND") or "sqlite", os.getenv("LOAD_CONNS"),
    thousands(summary.requests / secs), ms(latency:percentile(50)), ms(latency:percentile(99)),
    errors, extra))
  if errors > 0 then
    io.write(string.format(
      "  errors: connect %d, read %d, write %d, timeout %d, unexpected status %d\n",
      e.connect, e.read, e.write, e.timeout, bad_total))
  end
end
