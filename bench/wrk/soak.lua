-- Soak mix: 60% non-streaming, 25% streaming, 10% upstream errors (500), 5% slow streams the client abandons
-- (wrk's 2 s time-out closes the connection mid-stream).
local prefix = os.getenv("PREFIX") or ""
local bodies = {
  '{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}',
  '{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}',
}
request = function()
  local r = math.random(100)
  local headers = { ["Content-Type"] = "application/json" }
  if r <= 60 then
    return wrk.format("POST", prefix .. "/v1/messages", headers, bodies[1])
  elseif r <= 85 then
    return wrk.format("POST", prefix .. "/v1/messages", headers, bodies[2])
  elseif r <= 95 then
    -- On another cluster: 5xx there must not take the provider of the other 90% out of rotation.
    return wrk.format("POST", "/gemini/v1/messages/error", headers, bodies[1])
  else
    return wrk.format("POST", prefix .. "/v1/messages/slow", headers, bodies[2])
  end
end
delay = function() return math.random(5, 20) end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %.3f %.3f %d %d\n", summary.requests, summary.requests / (summary.duration / 1000000),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
