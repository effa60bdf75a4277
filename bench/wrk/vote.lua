-- wrk script: POST /polls/POLL_ID/votes, each request a new user (prefixed by USER_PREFIX, unique per
-- run) voting for one of the poll's three choices in turn.
local poll = os.getenv("POLL_ID")
local prefix = os.getenv("USER_PREFIX") or "w"
local choices = { "red", "green", "blue" }
local n = 0

request = function()
  n = n + 1
  local body = '{"username":"' .. prefix .. n .. '","choice":"' .. choices[n % 3 + 1] .. '"}'
  return wrk.format("POST", "/polls/" .. poll .. "/votes", { ["content-type"] = "application/json" }, body)
end
