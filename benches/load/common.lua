-- What the wrk scripts share (loaded with dofile by autosave.lua, whole.lua and
-- reading.lua): threads numbered in setup(), each thread's own members from
-- CONCERTO_BENCH_MEMBERS ("cookie csrf organisation" per line, split between threads so
-- that no member is used by two), stored versions from CONCERTO_BENCH_VERSIONS
-- ("organisation code version"), responses counted (200 acknowledged, among them the
-- saved answers, whose body is their new version; the first refusal kept, to say why),
-- and the counts printed on one "CONCERTO {json}" line at the end.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Called by each script's init(): this thread's members, and the stored versions.
function load_members()
  local count = tonumber(os.getenv("CONCERTO_BENCH_THREADS") or "1")
  mine, versions, ok, saved, refused, raced, submitted, statuses = {}, {}, 0, 0, 0, 0, 0, ""
  local line_number = 0
  for line in io.lines(os.getenv("CONCERTO_BENCH_MEMBERS")) do
    if line_number % count == id then
      local cookie, csrf, organisation = line:match("(%S+) (%S+) (%S+)")
      table.insert(mine, { cookie = cookie, csrf = csrf, organisation = organisation })
    end
    line_number = line_number + 1
  end
  local stored = os.getenv("CONCERTO_BENCH_VERSIONS")
  if stored then
    for line in io.lines(stored) do
      local organisation, code, version = line:match("(%S+) (%S+) (%S+)")
      versions[organisation .. code] = tonumber(version)
    end
  end
end

-- wrk calls request() once on its first thread before the run, only to inspect what it
-- returns: that call must not count (it is never sent). True for that call.
function inspecting()
  if id == 0 and not inspected then
    inspected = true
    return true
  end
  return false
end

-- The text questions the autosaving scripts write, one after another.
text_codes = {
  "E1.Q1", "E1.Q3", "E1.Q5", "E1.Q7", "E1.Q9",
  "E2.Q1", "E2.Q3", "E2.Q5", "E2.Q7", "E2.Q9",
  "E3.Q1", "E3.Q3", "E3.Q5", "E3.Q7", "E3.Q9",
  "E4.Q1", "E4.Q3", "E4.Q5", "E4.Q7", "E4.Q9",
}

-- For the autosaving scripts' init(): each run starts at its own pass over the questions
-- (CONCERTO_BENCH_PASS), so that no answer written at the very end of the previous run
-- is written again at once.
function start_pass()
  load_members()
  sent = tonumber(os.getenv("CONCERTO_BENCH_PASS") or "0") * #mine
end

-- The next autosave of `member`: its next text question, with the version it last saw.
function autosave(member, base, text)
  local code = text_codes[(math.floor(sent / #mine) % #text_codes) + 1]
  local key = member.organisation .. code
  local version = versions[key] or 1
  versions[key] = version + 1
  local body = string.format('{"value":"%s, passage %d.","version":%d}', text, sent, version)
  return wrk.format("PUT", base .. "/answers/" .. code, member_headers(member), body)
end

function member_headers(member)
  return {
    ["Cookie"] = "concerto=" .. member.cookie,
    ["X-CSRF-Token"] = member.csrf,
    ["Content-Type"] = "application/json",
  }
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if string.sub(body, 1, 11) == '{"version":' then saved = saved + 1 end
    if string.find(body, '"status":"submitted"', 1, true) then submitted = submitted + 1 end
  elseif status == 409 and string.find(body, "soumise", 1, true) then
    -- A member's request overtaken by its own submission on another connection (wrk's
    -- connections run side by side): a save or a second submission after it is refused
    -- as it must be, and nothing acknowledged is lost. Counted apart, not as a failure.
    raced = raced + 1
  else
    refused = refused + 1
    if refused <= 1 then
      statuses = statuses .. status .. " " .. string.gsub(string.sub(body, 1, 600), "[\r\n\"\\]", " ") .. " | "
    end
  end
end

function done(summary, latency, requests)
  local acknowledged, writes, errors, overtaken, whole, why = 0, 0, 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    acknowledged = acknowledged + thread:get("ok")
    writes = writes + thread:get("saved")
    errors = errors + thread:get("refused")
    overtaken = overtaken + thread:get("raced")
    whole = whole + thread:get("submitted")
    why = why .. thread:get("statuses")
  end
  io.write(string.format(
    "CONCERTO {\"why\":\"%s\",\"acknowledged\":%d,\"saved\":%d,\"refused\":%d,\"raced\":%d,\"submitted\":%d,\"socket_errors\":%d,\"requests\":%d,\"seconds\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
    why, acknowledged, writes, errors, overtaken, whole,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
