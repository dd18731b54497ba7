import autocannon from 'autocannon';

let active = null;
let stopped = false;

function fire(options) {
  return new Promise((resolve, reject) => {
    if (stopped) return reject(new Error('load stopped'));
    active = autocannon(options, (error, result) => {
      active = null;
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/** Stops the load in flight and refuses new load, e.g. on Ctrl-C. */
export function stopLoad() {
  stopped = true;
  active?.stop();
}

/**
 * Warms the target up (that result is thrown away: JIT, pools and caches settle), then measures.
 * `request` takes autocannon's options: url, method, headers, body, requests...
 */
export async function measure(request, settings) {
  const base = { connections: settings.connections, ...request };
  if (settings.warmupSec > 0) await fire({ ...base, duration: settings.warmupSec });
  const result = await fire({ ...base, duration: settings.durationSec });
  return summarize(result);
}

function summarize(result) {
  return {
    requestsPerSec: result.requests.mean,
    // Whole milliseconds: autocannon's latency histogram has no finer resolution.
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    // autocannon counts timeouts among the errors too; both are kept for the JSON.
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
