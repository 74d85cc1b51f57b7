-- Whole responses under wrk: each member, in turn, writes all 40 answers of its
-- organisation's response in one PATCH (long texts included), submits it, then reopens
-- it to start again. Members come from CONCERTO_BENCH_MEMBERS, stored versions from
-- CONCERTO_BENCH_VERSIONS (see autosave.lua); each thread has its own members. Every
-- run starts with every response in draft (the benchmark sees to it).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- The round's 40 questions, as benches/common builds them: code and kind.
local questions = {}
for i = 0, 39 do
  local kinds = { "long_text", "single_choice", "short_text", "scale",
                  "long_text", "multiple_choice", "short_text", "proposals" }
  table.insert(questions, {
    code = string.format("E%d.Q%d", math.floor(i / 10) + 1, i % 10 + 1),
    kind = kinds[(i % 8) + 1],
  })
end

local long_text = string.rep("Un témoignage développé sur l'accès aux soins. ", 17)

local function value(kind)
  if kind == "long_text" then return '"' .. long_text .. '"' end
  if kind == "short_text" then return '"Une réponse courte."' end
  if kind == "single_choice" then return '"a"' end
  if kind == "multiple_choice" then return '["a","c"]' end
  if kind == "scale" then return "4" end
  return '[{"title":"Former les soignants","description":"Dès l\'an prochain, dans chaque région."}]'
end

function init(args)
  local count = tonumber(os.getenv("CONCERTO_BENCH_THREADS") or "1")
  mine, versions, turn, ok, refused, submitted, statuses = {}, {}, 0, 0, 0, 0, ""
  local line_number = 0
  for line in io.lines(os.getenv("CONCERTO_BENCH_MEMBERS")) do
    if line_number % count == id then
      local cookie, csrf, organisation = line:match("(%S+) (%S+) (%S+)")
      table.insert(mine, { cookie = cookie, csrf = csrf, organisation = organisation })
    end
    line_number = line_number + 1
  end
  for line in io.lines(os.getenv("CONCERTO_BENCH_VERSIONS")) do
    local organisation, code, version = line:match("(%S+) (%S+) (%S+)")
    versions[organisation .. code] = tonumber(version)
  end
end

function request()
  -- wrk's first call on its first thread only inspects the request: never sent.
  if id == 0 and not verified then
    verified = true
    return wrk.format("GET", "/healthz")
  end
  -- Members go by windows of 16: each member of the window gets its PATCH, then (16
  -- requests later, once it has surely been answered) its submission, then its
  -- reopening; then the next window.
  local window = 16
  local cycle = math.floor(turn / window)
  local step = cycle % 3
  local block = math.floor(cycle / 3)
  local member = mine[((block * window + turn % window) % #mine) + 1]
  turn = turn + 1
  local base = "/api/v1/rounds/banc/responses/" .. member.organisation
  local headers = {
    ["Cookie"] = "concerto=" .. member.cookie,
    ["X-CSRF-Token"] = member.csrf,
    ["Content-Type"] = "application/json",
  }
  if step == 0 then
    local parts = {}
    for _, q in ipairs(questions) do
      local key = member.organisation .. q.code
      local version = versions[key] or 0
      versions[key] = version + 1
      table.insert(parts, string.format('"%s":{"value":%s,"version":%d}', q.code, value(q.kind), version))
    end
    return wrk.format("PATCH", base .. "/answers", headers, '{"answers":{' .. table.concat(parts, ",") .. '}}')
  elseif step == 1 then
    return wrk.format("POST", base .. "/submit", headers, '{"publication_consent":"attributed"}')
  else
    return wrk.format("POST", base .. "/reopen", headers, "{}")
  end
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if string.find(body, '"submitted"', 1, true) then submitted = submitted + 1 end
  else
    refused = refused + 1
    if refused <= 1 then
      statuses = statuses .. status .. " " .. string.gsub(string.sub(body, 1, 300), "[\r\n\"\\]", " ") .. " | "
    end
  end
end

function done(summary, latency, requests)
  local acknowledged, errors, whole, why = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    acknowledged = acknowledged + thread:get("ok")
    errors = errors + thread:get("refused")
    whole = whole + thread:get("submitted")
    why = why .. thread:get("statuses")
  end
  io.write(string.format(
    "CONCERTO {\"why\":\"%s\",\"acknowledged\":%d,\"refused\":%d,\"submitted\":%d,\"socket_errors\":%d,\"requests\":%d,\"seconds\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
    why, acknowledged, errors, whole,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
