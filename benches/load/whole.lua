-- Whole responses under wrk: each member, in turn, writes all 40 answers of its
-- organisation's response in one PATCH (long texts included), submits it, then reopens
-- it to start again. Every run starts with every response in draft (the benchmark sees
-- to it). Submissions are counted by common.lua. Shared parts: common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

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
  load_members()
  turn = 0
end

function request()
  if inspecting() then
    return wrk.format("GET", "/healthz")
  end
  -- Members go by windows of 128: each member of the window gets its PATCH, then (128
  -- requests later, once it has surely been answered) its submission, then its
  -- reopening; then the next window. (With 32, and once with 64, a slow submission was
  -- overtaken by its own reopening, refused: wrk's connections run side by side.)
  local window = 128
  local cycle = math.floor(turn / window)
  local step = cycle % 3
  local block = math.floor(cycle / 3)
  local member = mine[((block * window + turn % window) % #mine) + 1]
  turn = turn + 1
  local base = "/api/v1/rounds/banc/responses/" .. member.organisation
  local headers = member_headers(member)
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
