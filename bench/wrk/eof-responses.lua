-- Counts the responses whose body ends with the connection: neither Content-Length nor chunked
-- Transfer-Encoding (RFC 9112, 6.3, 8). wrk 4.1 counts each such response as a completed request
-- and then, seeing the connection close, also as a read error. bench/run subtracts this count from
-- the read errors of the Spring Boot HUP run, where the draining workers answer some requests that way.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   eof_responses = 0
end

function response(status, headers, body)
   local framed = false
   for name, value in pairs(headers) do
      local n = string.lower(name)
      if n == "content-length" or (n == "transfer-encoding" and string.find(string.lower(value), "chunked")) then
         framed = true
      end
   end
   if not framed then
      eof_responses = eof_responses + 1
   end
end

function done(summary, latency, requests)
   local n = 0
   for _, thread in ipairs(threads) do
      n = n + thread:get("eof_responses")
   end
   io.write(string.format("EOF-delimited responses: %d\n", n))
end
