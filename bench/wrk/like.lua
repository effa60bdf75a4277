-- wrk script: the seed's like, POST /new/likes?username=&posts_id=, each request a new random user
-- (prefixed by USER_PREFIX, unique per run, so no run repeats a like) liking one of POSTS posts.
local posts = tonumber(os.getenv("POSTS") or "10000")
local prefix = os.getenv("USER_PREFIX") or "w"

request = function()
  local path = "/new/likes?username=" .. prefix .. math.random(1, 1000000000) .. "&posts_id=" .. math.random(1, posts)
  return wrk.format("POST", path)
end
