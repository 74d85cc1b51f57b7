-- The deadline-day rush under wrk: members autosave as in autosave.lua, and one request
-- in twenty is a member submitting its response; that member's next request (a full
-- turn of the thread's members later, long after the submission was answered) reopens it,
-- as a colleague would to amend it, so that its autosaves go on. Sign-ins and the
-- coordinator's dashboard run beside wrk, from the benchmark itself. Acknowledged saves
-- ("saved") are what the lost-write check counts. Shared parts: common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  start_pass()
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
  return autosave(member, base, "Texte enregistré pendant la ruée")
end
