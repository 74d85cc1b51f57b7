-- Autosave under wrk: every request, a member saves one text answer of its own
-- organisation's response with the version it last wrote (seeded answers stand at
-- version 1), as the editor's autosave does. Members come from the file named by
-- CONCERTO_BENCH_MEMBERS ("cookie csrf organisation" per line), split between wrk's
-- threads so that no member is used by two threads; the stored versions come from
-- CONCERTO_BENCH_VERSIONS ("organisation code version" per line). Acknowledged writes (200) are
-- counted so the benchmark can check that each one is in the database.

local codes = {
  "E1.Q1", "E1.Q3", "E1.Q5", "E1.Q7", "E1.Q9",
  "E2.Q1", "E2.Q3", "E2.Q5", "E2.Q7", "E2.Q9",
  "E3.Q1", "E3.Q3", "E3.Q5", "E3.Q7", "E3.Q9",
  "E4.Q1", "E4.Q3", "E4.Q5", "E4.Q7", "E4.Q9",
}
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("CONCERTO_BENCH_THREADS") or "1")
  mine, versions, sent, ok, refused, statuses = {}, {}, 0, 0, 0, ""
  local line_number = 0
  for line in io.lines(os.getenv("CONCERTO_BENCH_MEMBERS")) do
    if line_number % count == id then
      local cookie, csrf, organisation = line:match("(%S+) (%S+) (%S+)")
      table.insert(mine, { cookie = cookie, csrf = csrf, organisation = organisation })
    end
    line_number = line_number + 1
  end
  -- The versions stored now, so that a run after another starts from the truth.
  for line in io.lines(os.getenv("CONCERTO_BENCH_VERSIONS")) do
    local organisation, code, version = line:match("(%S+) (%S+) (%S+)")
    versions[organisation .. code] = tonumber(version)
  end
  -- Each run starts at its own pass over the questions (CONCERTO_BENCH_PASS), so that
  -- no answer written at the very end of the previous run is written again at once.
  sent = tonumber(os.getenv("CONCERTO_BENCH_PASS") or "0") * #mine
end

function request()
  -- wrk calls request() once on its first thread before the run, only to inspect what it
  -- returns: that call must not count as a write (it is never sent).
  if id == 0 and not verified then
    verified = true
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local member = mine[(sent % #mine) + 1]
  local code = codes[(math.floor(sent / #mine) % #codes) + 1]
  local key = member.organisation .. code
  local version = versions[key] or 1
  versions[key] = version + 1
  local body = string.format('{"value":"Texte enregistré automatiquement, passage %d.","version":%d}', sent, version)
  return wrk.format("PUT", "/api/v1/rounds/banc/responses/" .. member.organisation .. "/answers/" .. code, {
    ["Cookie"] = "concerto=" .. member.cookie,
    ["X-CSRF-Token"] = member.csrf,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    refused = refused + 1
    -- The first few refusals, to say why in the report.
    if refused <= 1 then
      statuses = statuses .. status .. " " .. string.gsub(string.sub(body, 150, 600), "[\r\n\"\\]", " ") .. " | "
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
