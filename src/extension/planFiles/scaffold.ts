// The text of a new plan file: every field present and explained, runnable as is on the simulator.
export function planScaffold(model: string, tier: string): string {
  return `{
  // Claude Load & Scale plan file. Run it with the "Run load test" CodeLens above, or
  // "Claude: Run Load Test from Plan File", or the CLI: claude-load run this-file.claudeload.json

  // Name of the run: used in the results folder (.claude-load/runs/<time>-<name>) and the report title.
  "name": "my-load-test",

  // Where requests go:
  //   {"simulator": {...}}  the built-in Anthropic-compatible simulator: free, no key, no network
  //   "anthropic"           the real Claude API: needs a key (Claude: Set API Key) and costs money
  //   {"baseUrl": "https://..."}  any Anthropic-compatible endpoint (a proxy, a gateway)
  "target": {
    "simulator": {
      "tier": "${tier}", // rate limits of this usage tier: start, build, scale, tier1..tier4
      "latency": "realistic" // realistic (model speed profiles), fast (20x faster) or zero
    }
  },

  // Model id. For a weighted mix use "mix": [{"model": "...", "share": 0.7}, ...] instead.
  "model": "${model}",

  // max_tokens of each request: caps output length (and the worst-case cost the budget assumes).
  "maxTokens": 256,

  // Stream responses: needed to measure time to first token (TTFT).
  "stream": true,

  // Optional system prompt; "cacheControl": "5m" or "1h" marks it for prompt caching.
  // "system": { "text": "You are a helpful assistant.", "cacheControl": "5m" },

  // What each request asks. Other forms:
  //   {"type": "list", "items": ["...", "..."]}            cycle through prompts
  //   {"type": "jsonl", "file": "requests.jsonl"}          Messages bodies, one per line
  //   {"type": "synthetic", "inputTokens": {"mean": 500, "sd": 100}}  prompts of about N tokens
  "prompts": { "type": "fixed", "text": "Respond with exactly: OK" },

  // Load shape:
  //   {"type": "concurrency", "concurrency": 4}                 closed loop: 4 requests always in flight
  //   {"type": "rate", "rps": 5, "arrival": "poisson", "maxInFlight": 100}  open loop: 5 new requests/s
  //   {"type": "ramp", "stages": [{"duration": "30s", "rps": 10}, {"duration": "1m", "rps": 10}]}
  "load": { "type": "rate", "rps": 2, "arrival": "poisson", "maxInFlight": 100 },

  // When to stop sending: after this many requests and/or after this long ("30s", "5m").
  "requests": 40,
  "duration": "30s",

  // Budget: stop sending before spent + in-flight worst case would exceed this (USD).
  "maxCostUsd": 1,

  // "none": 429/529 are measured as they are; "sdk": the SDK retries and every attempt is counted.
  "retries": "none",

  // Pass/fail criteria (k6 style). Metrics: latency.*, ttft.*, tpot.*, errors.rate, rateLimited.rate, cost.usd, ...
  "thresholds": {
    "ttft.p95": "<3000",
    "errors.rate": "<0.01"
  }
}
`;
}
