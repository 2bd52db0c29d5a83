-- A seller write: PUT /api/seller/listings/{id} changing the US price, naming the version
-- last answered for that listing. LOAD_IDS are "id:version:minor:currency" entries of the
-- signed-in seller (LOAD_COOKIE, LOAD_CSRF); each wrk thread takes every n-th one, so no two
-- threads write the same listing. Within a thread, connections take the thread's listings
-- in turn, so a write names a version older than the one in flight only when a listing comes
-- round again before its previous answer (few listings per connection): that write is
-- refused with 409 (optimistic concurrency working as designed) and counted apart from
-- errors; its answer carries the current version, which the next write names.
dofile("scripts/load-bench/common.lua")
local entries = {}
for item in string.gmatch(os.getenv("LOAD_WRITES") or "", "[^,]+") do
  local id, version, minor, currency = item:match("(%d+):(%d+):(%d+):(%a+)")
  table.insert(entries, { id = id, version = tonumber(version), minor = tonumber(minor), currency = currency })
end
local nthreads = tonumber(os.getenv("LOAD_THREADS"))
local mine, by_id = {}, {}
local headers = {
  ["Content-Type"] = "application/json",
  ["Cookie"] = os.getenv("LOAD_COOKIE"),
  ["x-csrf-token"] = os.getenv("LOAD_CSRF"),
}
local i = 0
function init(args)
  for k, e in ipairs(entries) do
    if (k - 1) % nthreads == index then
      table.insert(mine, e)
      by_id[e.id] = e
    end
  end
end
function request()
  i = i + 1
  local e = mine[1 + i % #mine]
  -- Alternate between two prices so every write changes something.
  local minor = e.minor + (i % 2)
  return wrk.format("PUT", "/api/seller/listings/" .. e.id, headers, string.format(
    '{"version":%d,"prices":[{"market":"US","price":{"minor":%d,"currency":"%s"}}]}',
    e.version, minor, e.currency))
end
function response(status, hdrs, body)
  count_status(status)
  local id = body:match('"id":(%d+)')
  local version = body:match('"version":(%d+)')
  local e = id and by_id[id]
  if e and version then
    e.version = math.max(e.version, tonumber(version))
  end
end
