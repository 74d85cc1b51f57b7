-- Autosave under wrk: every request, a member saves one text answer of its own
-- organisation's response with the version it last wrote (seeded answers stand at
-- version 1), as the editor's autosave does. Acknowledged writes are counted so the
-- benchmark can check that each one is in the database. Shared parts: common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local codes = {
  "E1.Q1", "E1.Q3", "E1.Q5", "E1.Q7", "E1.Q9",
  "E2.Q1", "E2.Q3", "E2.Q5", "E2.Q7", "E2.Q9",
  "E3.Q1", "E3.Q3", "E3.Q5", "E3.Q7", "E3.Q9",
  "E4.Q1", "E4.Q3", "E4.Q5", "E4.Q7", "E4.Q9",
}

function init(args)
  load_members()
  -- Each run starts at its own pass over the questions (CONCERTO_BENCH_PASS), so that
  -- no answer written at the very end of the previous run is written again at once.
  sent = tonumber(os.getenv("CONCERTO_BENCH_PASS") or "0") * #mine
end

function request()
  if inspecting() then
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local member = mine[(sent % #mine) + 1]
  local code = codes[(math.floor(sent / #mine) % #codes) + 1]
  local key = member.organisation .. code
  local version = versions[key] or 1
  versions[key] = version + 1
  local body = string.format('{"value":"Texte enregistré automatiquement, passage %d.","version":%d}', sent, version)
  return wrk.format("PUT", "/api/v1/rounds/banc/responses/" .. member.organisation .. "/answers/" .. code,
    member_headers(member), body)
end
