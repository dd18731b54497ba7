import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

let active = null;
let stopped = false;

/**
 * One autocannon run. With `amount`, the time of the last answer is kept too: autocannon only
 * ends a run on its next 1 s tick, so its own duration would count up to a second of idling.
 */
function fire(options) {
  return new Promise((resolve, reject) => {
    if (stopped) return reject(new Error('load stopped'));
    const startedAt = performance.now();
    let lastResponseAt = null;
    active = autocannon(options, (error, result) => {
      active = null;
      if (error) reject(error);
      else resolve({ result, elapsedSec: ((lastResponseAt ?? startedAt) - startedAt) / 1000 });
    });
    if (options.amount) {
      active.on('response', () => {
        lastResponseAt = performance.now();
      });
    }
  });
}

/** Stops the load in flight and refuses new load, e.g. on Ctrl-C. */
export function stopLoad() {
  stopped = true;
  active?.stop();
}

/**
 * Warms the target up (that result is thrown away: JIT, pools and caches settle), then measures.
 * `request` takes autocannon's options: url, method, headers, body, connections, requests...
 *
 * Without `amount`, the measured run lasts the settings' duration and req/s is the mean of
 * autocannon's per-second samples. With `amount`, it sends exactly that many requests and req/s
 * is their number over the time from the start to the last answer. That suits slow routes (a few
 * requests per second, answers in batches), in two ways:
 * - a fixed window cuts off whichever batch straddles its end, up to 10 % of a 5 s run;
 * - a timed warm-up leaves its requests in flight when it stops, and the server still works
 *   through them (a login's bcrypt cannot be called off): the measured run would start behind a
 *   backlog of up to `connections` requests, seconds of work. So the warm-up too sends a fixed
 *   number, about `warmupSec` worth at the measured run's pace, and ends with its last answer.
 */
export async function measure(request, settings) {
  const { amount, ...base } = { connections: settings.connections, ...request };
  if (amount) {
    if (settings.warmupSec > 0) {
      const perConnection = (amount * settings.warmupSec) / settings.durationSec / base.connections;
      await fire({ ...base, amount: Math.max(1, Math.round(perConnection)) * base.connections });
    }
    return summarize(await fire({ ...base, amount }), { amount, connections: base.connections });
  }
  if (settings.warmupSec > 0) await fire({ ...base, duration: settings.warmupSec });
  const run = await fire({ ...base, duration: settings.durationSec });
  return summarize(run, { connections: base.connections });
}

function summarize({ result, elapsedSec }, { amount, connections }) {
  return {
    requestsPerSec: amount ? perSecond(result.requests.total, elapsedSec) : result.requests.mean,
    // Whole milliseconds: autocannon's latency histogram has no finer resolution.
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    totalRequests: result.requests.total,
    durationSec: amount ? elapsedSec : result.duration,
    connections,
    non2xx: result.non2xx,
    // autocannon counts timeouts among the errors too; both are kept for the JSON.
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function perSecond(count, seconds) {
  return seconds > 0 ? count / seconds : 0;
}
