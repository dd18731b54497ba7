import { ProgressReporter } from './progress-reporter';

function block(outTimeUs: number): string {
  return `frame=1\nout_time_us=${outTimeUs}\nout_time_ms=${outTimeUs}\nout_time=00:00:00\nprogress=continue\n`;
}

describe('ProgressReporter', () => {
  let clock: number;
  let reported: number[];
  const reporter = (expectedDurationSec?: number) =>
    new ProgressReporter({
      expectedDurationSec,
      onProgress: (percent) => reported.push(percent),
      minIntervalMs: 250,
      now: () => clock,
    });

  beforeEach(() => {
    clock = 0;
    reported = [];
  });

  it('reports the output time as an integer share of the expected duration', () => {
    reporter(10).feed(block(2_500_000));
    expect(reported).toEqual([25]);
  });

  it('reads lines split across chunks', () => {
    const progress = reporter(10);
    progress.feed('out_time_us=5_0');
    progress.feed('00000\n'.replace('_', ''));
    expect(reported).toEqual([]);
    clock += 1000;
    progress.feed('out_time_us=5000000\n');
    expect(reported).toEqual([50]);
  });

  it('never goes down and never repeats a value', () => {
    const progress = reporter(10);
    for (const us of [3_000_000, 1_000_000, 3_000_000, 4_000_000]) {
      clock += 1000;
      progress.feed(block(us));
    }
    expect(reported).toEqual([30, 40]);
  });

  it('reports at most once per interval', () => {
    const progress = reporter(10);
    progress.feed(block(1_000_000));
    clock += 100;
    progress.feed(block(2_000_000));
    clock += 200;
    progress.feed(block(3_000_000));
    expect(reported).toEqual([10, 30]);
  });

  it('stops at 99, leaving 100 to the caller that knows the output is in place', () => {
    reporter(1).feed(block(5_000_000));
    expect(reported).toEqual([99]);
  });

  it('stays silent without an expected duration and ignores N/A times', () => {
    reporter(undefined).feed(block(1_000_000));
    reporter(10).feed('out_time_us=N/A\nout_time_ms=N/A\n');
    expect(reported).toEqual([]);
  });
});
