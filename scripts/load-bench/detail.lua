-- GET /api/listings/{id}?market=US over the ids in LOAD_IDS.
dofile("scripts/load-bench/common.lua")
local now = os.getenv("LOAD_NOW")
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", "/api/listings/" .. ids[1 + i % #ids] .. "?market=US&now=" .. now)
end
