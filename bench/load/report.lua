-- wrk reporter: one machine-readable line (latencies in ms).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50=%.2f p99=%.2f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
