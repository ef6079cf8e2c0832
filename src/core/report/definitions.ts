// The metric definitions every report states. Peers define TTFT/TPOT differently, so ours are spelled out.

export const metricDefinitions: Record<string, string> = {
  latency:
    'End-to-end latency: from the send time to the last byte of the response (stream end). In open-loop runs ' +
    '(rate, ramp) it is measured from the intended send time in the schedule, so it is corrected for ' +
    'coordinated omission: time a request spent waiting because the generator could not send it on time ' +
    'counts. In closed-loop runs (concurrency) it is measured from the actual send.',
  latencyUncorrected:
    'Uncorrected latency (open-loop runs only): from the actual send to the last byte, ignoring any wait ' +
    'before sending. Compare it with the corrected latency: a large gap means requests queued in the generator.',
  sendLag:
    'Send lag: actual send time minus intended send time. It grows when the in-flight cap is reached or when ' +
    "the generator's own event loop is busy.",
  ttft:
    'TTFT (time to first token): from the actual send to the first non-empty text delta ' +
    '(content_block_delta with text_delta). Not message_start, ping or the first byte, which arrive earlier.',
  firstContent:
    'Time to first content: from the actual send to the first non-empty content delta of any kind: thinking, ' +
    'text or tool input. With extended thinking or a tool call it comes well before TTFT (first text), which ' +
    'a tool-only reply never has.',
  thinkingTokens:
    "Thinking tokens: part of the server's output_tokens (they count toward max_tokens, OTPM and price). The API " +
    'reports no separate count, so the split is estimated from the thinking text with the token counter the ' +
    'simulator uses; TPOT is over the text tokens (output minus thinking).',
  tpot:
    'TPOT (time per output token): (latency from the actual send - TTFT) / (output_tokens - 1), with output_tokens from ' +
    "the server's usage (message_delta.usage.output_tokens), not from counting stream chunks. Requests with " +
    'fewer than 2 output tokens have no TPOT. Other tools differ: GuideLLM includes the first token, vLLM ITL ' +
    'is every inter-chunk gap.',
  outputTokensPerSec:
    "Output tokens/s per request: the server's output_tokens divided by that request's latency from the actual send.",
  throughput: 'Throughput: completed requests / wall time of the run, and output tokens / wall time.',
  goodput:
    'Goodput: requests per second that succeeded and met every SLO threshold given; empty when no SLO was set.',
  cost:
    "Cost: the server's usage (input, output, cache read and cache write tokens) times the prices in the " +
    'catalog (built-in or overridden) as of its date (environment.catalogAsOf). An estimate, not an invoice.',
  percentiles:
    'Percentiles: from HDR histograms with 3 significant digits (values within 0.1 %), merged losslessly ' +
    'across windows. p99.9 needs at least 1,000 samples to mean anything.',
};
