-- POST a provider request; CASE picks the shape, PREFIX the route prefix ("" when hitting the upstream directly).
local prefix = os.getenv("PREFIX") or ""
local case = os.getenv("CASE") or "anthropic"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
if case == "openai" then
  wrk.path = prefix .. "/v1/chat/completions"
  wrk.body = '{"model":"gpt-4o","messages":[{"role":"user","content":"Say hello in one sentence, please."}],"max_tokens":100}'
elseif case == "stream" then
  wrk.path = prefix .. "/v1/messages"
  wrk.body = '{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Say hello."}]}'
elseif case == "big" then
  wrk.path = prefix .. "/v1/messages"
  wrk.body = '{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user","content":"' .. string.rep("a", 1024 * 1024) .. '"}]}'
else
  wrk.path = prefix .. "/v1/messages"
  wrk.body = '{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user","content":"Say hello in one sentence, please."}]}'
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.3f %.3f %d\n", summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
