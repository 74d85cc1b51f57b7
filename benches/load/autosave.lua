-- Autosave under wrk: every request, a member saves one text answer of its own
-- organisation's response with the version it last wrote (seeded answers stand at
-- version 1), as the editor's autosave does. Acknowledged writes are counted so the
-- benchmark can check that each one is in the database. Shared parts: common.lua.

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
  return autosave(member, "/api/v1/rounds/banc/responses/" .. member.organisation,
    "Texte enregistré automatiquement")
end
