-- wrk script of test_load_soak.py: rotates over the API's read endpoints (GET and POST recommend,
-- movies search and pages, stats), checks every answer is a 200 with a whole JSON object holding the
-- field these endpoints promise ("results", or "per_genre" for stats), and prints one "RESULT {json}"
-- line with the counts and latency percentiles (microseconds). (wrk does not say which request a
-- response answers, e.g. after a keep-alive reconnect, so the check cannot be per endpoint.)
local requests_list = {
  wrk.format("GET", "/api/recommend?prompt=pel%C3%ADcula%20de%20un%20pianista&k=5"),
  wrk.format("GET", "/api/movies?q=padrino&page=1"),
  wrk.format("GET", "/api/stats"),
  wrk.format("POST", "/api/recommend", { ["Content-Type"] = "application/json" },
             '{"prompt": "una comedia ligera para ver en familia", "k": 10, "genre": "Comedia"}'),
  wrk.format("GET", "/api/movies?page=2&per_page=24&genre=Drama"),
  wrk.format("GET", "/api/recommend?prompt=guerra%20mundial&k=20&year_from=1950"),
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent = 0   -- requests issued by this thread
  stats = 0  -- answers that were /api/stats
  bad = 0    -- answers that were not a 200 with a whole JSON object holding the expected field
end

function request()
  sent = sent + 1
  return requests_list[(sent - 1) % #requests_list + 1]
end

function response(status, headers, body)
  local whole = body and body:sub(1, 1) == "{" and body:sub(-1) == "}"
  if body and body:find('"per_genre"', 1, true) then stats = stats + 1 end
  if status ~= 200 or not whole or not (body:find('"results"', 1, true) or body:find('"per_genre"', 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong, stats_answers = 0, 0
  for _, t in ipairs(threads) do
    wrong = wrong + t:get("bad")
    stats_answers = stats_answers + t:get("stats")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"non_2xx": %d, "timeouts": %d, "wrong_bodies": %d, "stats_answers": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, wrong, stats_answers,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
