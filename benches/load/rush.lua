-- The deadline-day rush under wrk: members autosave as in autosave.lua, and one request
-- in twenty is a member submitting its response; that member's next request (a full
-- turn of the thread's members later, long after the submission was answered) reopens it,
-- as a colleague would to amend it, so that its autosaves go on. Sign-ins and the
-- coordinator's dashboard run beside wrk, from the benchmark itself. Acknowledged saves
-- ("saved") are what the lost-write check counts. Shared parts: common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local codes = {
  "E1.Q1", "E1.Q3", "E1.Q5", "E1.Q7", "E1.Q9",
  "E2.Q1", "E2.Q3", "E2.Q5", "E2.Q7", "E2.Q9",
  "E3.Q1", "E3.Q3", "E3.Q5", "E3.Q7", "E3.Q9",
  "E4.Q1", "E4.Q3", "E4.Q5", "E4.Q7", "E4.Q9",
}

function init(args)
  load_members()
  sent = tonumber(os.getenv("CONCERTO_BENCH_PASS") or "0") * #mine
end

function request()
  if inspecting() then
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local member = mine[(sent % #mine) + 1]
  local base = "/api/v1/rounds/banc/responses/" .. member.organisation
  if member.submitted then
    member.submitted = false
    return wrk.format("POST", base .. "/reopen", member_headers(member), "{}")
  end
  if sent % 20 == 7 then
    member.submitted = true
    return wrk.format("POST", base .. "/submit", member_headers(member),
      '{"publication_consent":"anonymous"}')
  end
  local code = codes[(math.floor(sent / #mine) % #codes) + 1]
  local key = member.organisation .. code
  local version = versions[key] or 1
  versions[key] = version + 1
  local body = string.format('{"value":"Texte enregistré pendant la ruée, passage %d.","version":%d}', sent, version)
  return wrk.format("PUT", base .. "/answers/" .. code, member_headers(member), body)
end
