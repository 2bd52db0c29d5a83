-- POST /api/quote: 10 lines from LOAD_IDS, quantities 1 to 10, US zones in turn.
dofile("scripts/load-bench/common.lua")
local now = os.getenv("LOAD_NOW")
local zones = { "us-ne", "us-pac", "us-sc", "us-mw", "us-hi" }
local bodies = {}
for k = 0, 19 do
  local lines = {}
  for j = 0, 9 do
    local id = ids[1 + (k + j) % #ids]
    table.insert(lines, string.format('{"listing_id":%s,"quantity":%d}', id, j + 1))
  end
  table.insert(bodies, string.format('{"market":"US","zone":"%s","now":"%s","lines":[%s]}',
    zones[1 + k % #zones], now, table.concat(lines, ",")))
end
local i = 0
function request()
  i = i + 1
  return wrk.format("POST", "/api/quote", { ["Content-Type"] = "application/json" },
    bodies[1 + i % #bodies])
end
