-- wrk script of bench.run: rotate through prepared GET requests and print the
-- summary as JSON (wrk's own report has no 95th percentile).
--
--   wrk -t2 -c50 -d10s -s bench/wrk.lua http://127.0.0.1:PORT -- requests.tsv
--
-- requests.tsv: one request per line, "path<TAB>session cookie<TAB>client address";
-- the server trusts one proxy hop, so the address is the phone's own.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  requests = {}
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local path, cookie, address = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
    if path then
      local headers = { ["X-Forwarded-For"] = address, ["User-Agent"] = "sinau-bench/1.0" }
      if cookie ~= "" then headers["Cookie"] = "sinau_session=" .. cookie end
      requests[#requests + 1] = wrk.format("GET", path, headers)
    end
  end
  file:close()
  position = (id or 0) * 7919
end

function request()
  position = position + 1
  return requests[(position % #requests) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK-JSON {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
end
