import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** A process's resident set size in bytes, from /proc/<pid>/status (VmRSS, Linux only). */
export function readRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS in /proc/${pid}/status (has the process exited?)`);
  return Number(match[1]) * 1024;
}

/**
 * Reads the RSS of `pid` every `intervalMs` until stop(), which returns the samples
 * ({ atMs, bytes }, atMs from the start) and their peak. The timer runs on this process's event
 * loop, so a busy loop here delays samples; every sample is kept with its real time.
 */
export function sampleRss(pid, intervalMs = 50) {
  const startedAt = performance.now();
  const samples = [];
  const take = () => samples.push({ atMs: performance.now() - startedAt, bytes: readRss(pid) });
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { samples, peakBytes: Math.max(...samples.map((sample) => sample.bytes)) };
    },
  };
}
