-- The deadline-day rush under wrk: members autosave as in autosave.lua, and one request
-- in twenty is a member submitting its response; that member is then passed over for
-- two turns of the thread's members and reopens its response at the third, as a
-- colleague would to amend it, so that its autosaves go on. (Reopening at its very next
-- turn, one turn later, a slow submission was once overtaken by its own reopening:
-- wrk's connections run side by side, and a response cannot be matched to its request
-- in Lua.) Sign-ins and the
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
  local member
  repeat
    sent = sent + 1
    member = mine[(sent % #mine) + 1]
    if member.turns_to_reopen and member.turns_to_reopen > 1 then
      member.turns_to_reopen = member.turns_to_reopen - 1
      member = nil
    end
  until member
  local base = "/api/v1/rounds/banc/responses/" .. member.organisation
  if member.turns_to_reopen then
    member.turns_to_reopen = nil
    return wrk.format("POST", base .. "/reopen", member_headers(member), "{}")
  end
  if sent % 20 == 7 then
    member.turns_to_reopen = 3
    return wrk.format("POST", base .. "/submit", member_headers(member),
      '{"publication_consent":"anonymous"}')
  end
  return autosave(member, base, "Texte enregistré pendant la ruée")
end
