-- Reading under wrk: every other request is the public round page, the others a
-- member's GET of its own organisation's response. Members come from
-- CONCERTO_BENCH_MEMBERS (see autosave.lua); each thread has its own.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("CONCERTO_BENCH_THREADS") or "1")
  mine, turn, ok, refused, statuses = {}, 0, 0, 0, ""
  local line_number = 0
  for line in io.lines(os.getenv("CONCERTO_BENCH_MEMBERS")) do
    if line_number % count == id then
      local cookie, csrf, organisation = line:match("(%S+) (%S+) (%S+)")
      table.insert(mine, { cookie = cookie, organisation = organisation })
    end
    line_number = line_number + 1
  end
end

function request()
  turn = turn + 1
  if turn % 2 == 0 then
    return wrk.format("GET", "/consultations/banc")
  end
  local member = mine[(math.floor(turn / 2) % #mine) + 1]
  return wrk.format("GET", "/api/v1/rounds/banc/responses/" .. member.organisation, {
    ["Cookie"] = "concerto=" .. member.cookie,
  })
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    refused = refused + 1
    if refused <= 1 then
      statuses = statuses .. status .. " " .. string.gsub(string.sub(body, 1, 200), "[\r\n\"\\]", " ") .. " | "
    end
  end
end

function done(summary, latency, requests)
  local acknowledged, errors, why = 0, 0, ""
  for _, thread in ipairs(threads) do
    acknowledged = acknowledged + thread:get("ok")
    errors = errors + thread:get("refused")
    why = why .. thread:get("statuses")
  end
  io.write(string.format(
    "CONCERTO {\"why\":\"%s\",\"acknowledged\":%d,\"refused\":%d,\"socket_errors\":%d,\"requests\":%d,\"seconds\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
    why, acknowledged, errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
