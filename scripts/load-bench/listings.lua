-- GET /api/listings?market=US, pages 1 to 10 in turn.
dofile("scripts/load-bench/common.lua")
local now = os.getenv("LOAD_NOW")
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", "/api/listings?market=US&now=" .. now .. "&page=" .. (1 + i % 10))
end
