-- Reading under wrk: every other request is the public round page, the others a
-- member's GET of its own organisation's response. Shared parts: common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  load_members()
  turn = 0
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
