export interface ProgressReporterOptions {
  /** Length of the output being written; without it only the final 100 is reported. */
  expectedDurationSec?: number;
  onProgress?: (percent: number) => void;
  minIntervalMs?: number;
  now?: () => number;
}

// ffmpeg names the field out_time_ms in older builds although it holds microseconds, like out_time_us.
const OUT_TIME_KEYS = new Set(['out_time_us', 'out_time_ms']);

/**
 * Turns ffmpeg's `-progress pipe:1` stream of key=value lines into integer percentages that only
 * go up and arrive at most every `minIntervalMs`. They stop at 99: 100 means the output is in
 * place, which only the caller knows.
 */
export class ProgressReporter {
  private pending = '';
  private lastPercent = -1;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ProgressReporterOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  feed(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.readLine(line.trim());
  }

  private readLine(line: string): void {
    const { expectedDurationSec, onProgress } = this.options;
    if (!onProgress || !expectedDurationSec || expectedDurationSec <= 0) return;
    const separator = line.indexOf('=');
    if (separator < 0 || !OUT_TIME_KEYS.has(line.slice(0, separator))) return;
    const microseconds = Number(line.slice(separator + 1));
    if (!Number.isFinite(microseconds)) return;
    const ratio = microseconds / 1e6 / expectedDurationSec;
    this.report(Math.min(99, Math.max(0, Math.floor(ratio * 100))));
  }

  private report(percent: number): void {
    const at = this.now();
    if (percent <= this.lastPercent || at - this.lastReportAt < this.minIntervalMs) return;
    this.lastPercent = percent;
    this.lastReportAt = at;
    this.options.onProgress?.(percent);
  }
}
