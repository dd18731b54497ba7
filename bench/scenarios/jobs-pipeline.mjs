import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { countCpu } from '../lib/cpu.mjs';
import { jobConcurrency } from '../lib/kiln.mjs';
import { newAccount, register, requestApi, uploadFile } from '../lib/kiln-api.mjs';
import {
  ffmpegPath,
  ffprobePath,
  probeArgs,
  sampleVideo,
  thumbnailArgs,
  timeProcess,
} from '../lib/media.mjs';
import { median, percentile } from '../lib/stats.mjs';

const GOAL = 0.85;
const VIDEO = { durationSec: 5, width: 640, height: 360, fps: 25 };
const THUMBNAIL_WIDTH = 320;
// Kiln pulls atSec back to 0.5 s before the end; staying before that keeps both sides identical.
const LATEST_AT_SEC = VIDEO.durationSec - 0.5;
// Kiln's warm-up (BENCH_JOBS_WARMUP jobs) is long: V8 optimizes code that runs once per job only
// after hundreds of jobs (100 jobs in, it still spent about 5 ms of CPU per job compiling), and
// a service that runs for days is measured warm. The warm-up's jobs run under accounts of their
// own, at most this many each, so that no plan limit (1000 jobs on the free plan) is reached.
const WARMUP_JOBS_PER_ACCOUNT = 500;
// Direct ffmpeg runs before its measured ones: spawning a program needs little warming up.
const WARMUP_COMMANDS = 20;
// POST /jobs in flight at once: enough to submit as fast as the API takes them.
const SUBMITTERS = 8;
// One cheap count request per tick; the end of the run is seen at most this late.
const POLL_MS = 100;
const FAILED_POLL_EVERY = 10;
// No job finished for this long: something is stuck, stop waiting.
const STALL_MS = 60_000;
const PROBE_SAMPLES = 5;

/** Distinct seek times spread over the video, so no two jobs are the same. */
function seekTimes(count, offset = 0) {
  return Array.from({ length: count }, (_, i) => ((i + offset) * LATEST_AT_SEC) / count);
}

/** The same ffmpeg commands a thumbnail job runs, `concurrency` at a time, from this process. */
async function runDirect(input, times, concurrency, dir) {
  await mkdir(dir, { recursive: true });
  const durationsMs = [];
  const problems = [];
  let next = 0;
  const startedAt = performance.now();
  let lastEnd = startedAt;
  const worker = async () => {
    while (next < times.length) {
      const i = next++;
      const output = join(dir, `thumbnail-${i}.jpg`);
      try {
        const args = thumbnailArgs(input, output, { atSec: times[i], width: THUMBNAIL_WIDTH });
        durationsMs.push(await timeProcess(ffmpegPath, args));
      } catch (error) {
        problems.push(error.message);
      }
      lastEnd = performance.now();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await rm(dir, { recursive: true, force: true });
  return { elapsedSec: (lastEnd - startedAt) / 1000, durationsMs, problems };
}

/** A tally of Kiln's answers: non-2xx and failed requests, and the first few messages. */
function newTally() {
  return {
    requests: 0,
    non2xx: 0,
    errors: 0,
    problems: [],
    note(problem) {
      if (this.problems.length < 5) this.problems.push(problem);
    },
  };
}

async function api(tally, kilnUrl, method, path, options) {
  try {
    const answer = await requestApi(kilnUrl, method, path, options);
    tally.requests++;
    if (answer.status < 200 || answer.status >= 300) {
      tally.non2xx++;
      tally.note(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
      return null;
    }
    return answer.json;
  } catch (error) {
    tally.errors++;
    tally.note(`${method} ${path}: ${error.code ?? error.message}`);
    return null;
  }
}

/** How many of the caller's jobs have this status (one small page, its total). */
async function countJobs(tally, kilnUrl, token, status) {
  const page = await api(tally, kilnUrl, 'GET', `/jobs?status=${status}&limit=1`, { token });
  return page?.meta.total ?? null;
}

/**
 * Submits one thumbnail job per seek time, SUBMITTERS at a time, then polls the count of
 * completed jobs until every accepted one is done (or one failed, or nothing moved for
 * STALL_MS). The time runs from the first submit to the poll that saw the last completion.
 */
async function runKiln(tally, kilnUrl, { token, mediaId }, times) {
  const ids = [];
  const submitMs = [];
  let next = 0;
  const startedAt = performance.now();
  const startedAtWall = Date.now();
  const submitter = async () => {
    while (next < times.length) {
      const i = next++;
      const sentAt = performance.now();
      const job = await api(tally, kilnUrl, 'POST', '/jobs', {
        token,
        body: {
          type: 'thumbnail',
          inputs: [mediaId],
          params: { atSec: Number(times[i].toFixed(3)), width: THUMBNAIL_WIDTH, format: 'jpeg' },
          // A failure shows at once instead of after retries with backoff.
          maxRetries: 0,
        },
      });
      submitMs.push(performance.now() - sentAt);
      if (job) ids.push(job.id);
    }
  };
  await Promise.all(Array.from({ length: SUBMITTERS }, submitter));
  const submittedSec = (performance.now() - startedAt) / 1000;

  let completed = 0;
  let stalled = false;
  let lastMoveAt = performance.now();
  for (let tick = 0; ; tick++) {
    const count = await countJobs(tally, kilnUrl, token, 'completed');
    if (count !== null && count > completed) {
      completed = count;
      lastMoveAt = performance.now();
    }
    if (completed >= ids.length) break;
    if (tick % FAILED_POLL_EVERY === 0 && (await countJobs(tally, kilnUrl, token, 'failed')) > 0) {
      break;
    }
    if (performance.now() - lastMoveAt > STALL_MS) {
      stalled = true;
      break;
    }
    await sleep(POLL_MS);
  }
  const elapsedSec = (performance.now() - startedAt) / 1000;
  return {
    ids,
    submitMs,
    submittedSec,
    elapsedSec,
    startedAtWall,
    completed,
    stalled,
  };
}

/** A new account with the sample video uploaded: { token, mediaId }. */
async function accountWithVideo(kilnUrl, label, video) {
  const { accessToken: token } = await register(kilnUrl, newAccount(label));
  const upload = await uploadFile(kilnUrl, token, video, { contentType: 'video/mp4' });
  if (upload.status !== 201) {
    throw new Error(`POST /media answered ${upload.status}: ${upload.text.slice(0, 300)}`);
  }
  return { token, mediaId: upload.json.id };
}

/** `count` jobs through the whole pipeline, unmeasured; throws unless all complete. */
async function warmUp(kilnUrl, video, count) {
  for (let done = 0; done < count; done += WARMUP_JOBS_PER_ACCOUNT) {
    const tally = newTally();
    const times = seekTimes(Math.min(WARMUP_JOBS_PER_ACCOUNT, count - done), 0.5);
    const account = await accountWithVideo(kilnUrl, 'jobs-warmup', video);
    const run = await runKiln(tally, kilnUrl, account, times);
    if (run.completed < times.length) {
      const problems = tally.problems.length ? `; ${tally.problems.join('; ')}` : '';
      throw new Error(`warm-up: ${run.completed} of ${times.length} jobs completed${problems}`);
    }
  }
}

/** Every job of the caller, for the timestamps and statuses of the measured ones. */
async function allJobs(tally, kilnUrl, token) {
  const jobs = [];
  for (let page = 1; ; page++) {
    const answer = await api(tally, kilnUrl, 'GET', `/jobs?sort=createdAt&limit=100&page=${page}`, {
      token,
    });
    if (!answer) break;
    jobs.push(...answer.data);
    if (page >= answer.meta.totalPages) break;
  }
  return jobs;
}

/** The most jobs that were inside their worker at the same moment, from their timestamps. */
function mostAtOnce(jobs) {
  const edges = jobs.flatMap((job) => [
    [Date.parse(job.startedAt), 1],
    [Date.parse(job.finishedAt), -1],
  ]);
  // At equal times an end comes before a start.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, step] of edges) {
    running += step;
    most = Math.max(most, running);
  }
  return most;
}

/** Two runs of direct commands as one: their commands, times and CPU added up. */
function joinDirectRuns(first, second) {
  const cpu = {};
  for (const key of Object.keys(first.cpu)) cpu[key] = first.cpu[key] + second.cpu[key];
  return {
    elapsedSec: first.elapsedSec + second.elapsedSec,
    durationsMs: [...first.durationsMs, ...second.durationsMs],
    problems: [...first.problems, ...second.problems],
    cpu,
  };
}

async function medianProcessMs(binary, args, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) times.push(await timeProcess(binary, args));
  return median(times);
}

const seconds = (ms) => (ms / 1000).toFixed(1);

/**
 * Thumbnail jobs through Kiln's whole pipeline (POST /jobs, PostgreSQL, Bull on Redis, the
 * worker's probes, ffmpeg, the output stored as media) against the same ffmpeg commands run
 * directly, as many at a time as Kiln's thumbnail workers. The gap is what the pipeline costs
 * per job; Kiln should keep 85 % of ffmpeg's own throughput.
 */
export default {
  name: 'jobs-pipeline',
  description: 'thumbnail jobs through POST /api/v1/jobs: Kiln against the same ffmpeg commands',
  async run(context) {
    const count = context.settings.jobs;
    const concurrency = jobConcurrency(context.kiln, 'thumbnail');
    const warm = context.settings.warmupSec > 0;
    const video = await sampleVideo(VIDEO);
    const account = await accountWithVideo(context.kilnUrl, 'jobs', video);
    const times = seekTimes(count);
    const what = (warmup) =>
      `${warm ? `${warmup} warm-up + ` : ''}${count} thumbnails, ${concurrency} at a time`;

    // Half of the direct commands run before Kiln's jobs and half after: on a machine whose
    // speed drifts during the run (a shared VM), both sides then meet the same conditions.
    const half = Math.ceil(times.length / 2);
    const directDir = join(context.scratchDir, 'thumbnails');
    const runDirectHalf = async (halfTimes) => {
      const cpu = countCpu(context.kiln.pid);
      const result = await runDirect(video, halfTimes, concurrency, directDir);
      return { ...result, cpu: cpu.stop() };
    };
    context.progress(`  direct-ffmpeg, first half: ${what(WARMUP_COMMANDS)}`);
    if (warm) await runDirect(video, seekTimes(WARMUP_COMMANDS, 0.5), concurrency, directDir);
    const directFirst = await runDirectHalf(times.slice(0, half));

    context.progress(
      `  kiln: ${what(context.settings.jobsWarmup)} (JOBS_CONCURRENCY ${context.kiln.jobsConcurrency})`,
    );
    if (warm) await warmUp(context.kilnUrl, video, context.settings.jobsWarmup);
    const tally = newTally();
    const kilnCpu = countCpu(context.kiln.pid);
    const kiln = await runKiln(tally, context.kilnUrl, account, times);
    kiln.cpu = kilnCpu.stop();

    context.progress(`  direct-ffmpeg, second half`);
    const direct = joinDirectRuns(directFirst, await runDirectHalf(times.slice(half)));

    // The measured jobs as Kiln recorded them: statuses, and how long each ran in its worker.
    const jobsOfRun = await allJobs(tally, context.kilnUrl, account.token);
    const byId = new Map(jobsOfRun.map((job) => [job.id, job]));
    const measured = kiln.ids.map((id) => byId.get(id)).filter(Boolean);
    const failed = measured.filter((job) => job.status === 'failed');
    for (const job of failed.slice(0, 3)) tally.note(`job ${job.id} failed: ${job.error}`);
    const ran = measured.filter(
      (job) => job.status === 'completed' && job.startedAt && job.finishedAt,
    );
    const runMs = ran.map((job) => Date.parse(job.finishedAt) - Date.parse(job.startedAt));
    const lastFinishedMs = Math.max(
      ...measured.map((job) => (job.finishedAt ? Date.parse(job.finishedAt) : 0)),
    );
    const unfinished = kiln.ids.length - kiln.completed - failed.length;

    // For the note: what the probes Kiln adds to each job cost on this machine.
    const probeMs = await medianProcessMs(ffprobePath, probeArgs(video), PROBE_SAMPLES);

    const perJob = (ms, jobs) => ms / Math.max(1, jobs);
    const directSummary = {
      value: direct.durationsMs.length / direct.elapsedSec,
      unit: 'jobs/s',
      latencyP50Ms: median(direct.durationsMs),
      latencyP99Ms: percentile(direct.durationsMs, 99),
      errors: direct.problems.length,
      totalRequests: direct.durationsMs.length,
      durationSec: direct.elapsedSec,
      concurrency,
      cpuMs: direct.cpu,
      ...(direct.problems.length ? { error: direct.problems[0] } : {}),
    };
    const problems = [...tally.problems];
    if (kiln.stalled) problems.push(`no job finished for ${STALL_MS / 1000} s`);
    if (unfinished > 0) problems.push(`${unfinished} job(s) never finished`);
    const busyMs = runMs.reduce((sum, ms) => sum + ms, 0);
    const jobs = {
      submitted: count,
      accepted: kiln.ids.length,
      completed: kiln.completed,
      failed: failed.length,
      apiRequests: tally.requests,
      submitSec: kiln.submittedSec,
      submitP50Ms: median(kiln.submitMs),
      submitP99Ms: percentile(kiln.submitMs, 99),
      // The last finishedAt Kiln recorded, from the first submit: the end without polling.
      lastFinishedSec: (lastFinishedMs - kiln.startedAtWall) / 1000,
      runP50Ms: median(runMs),
      runMeanMs: busyMs / Math.max(1, runMs.length),
      // Jobs inside their worker at once: the mean over the run, and the most at one moment.
      meanRunning: busyMs / (kiln.elapsedSec * 1000),
      mostRunning: mostAtOnce(ran),
    };
    const kilnSummary = {
      value: kiln.completed / kiln.elapsedSec,
      unit: 'jobs/s',
      latencyP50Ms: median(runMs),
      latencyP99Ms: percentile(runMs, 99),
      non2xx: tally.non2xx,
      errors: tally.errors + failed.length + Math.max(0, unfinished),
      totalRequests: kiln.completed,
      durationSec: kiln.elapsedSec,
      concurrency,
      jobs,
      cpuMs: kiln.cpu,
      ffprobeMedianMs: probeMs,
      ...(problems.length ? { error: problems.join('; ') } : {}),
    };

    const ms = (value) => (value == null ? '- ms' : `${value.toFixed(0)} ms`);
    const k = kiln.cpu;
    const kilnNotes = [
      `${jobs.accepted} jobs submitted in ${jobs.submitSec.toFixed(1)} s (POST /jobs p50 ` +
        `${ms(jobs.submitP50Ms)}), all completed at ${kiln.elapsedSec.toFixed(1)} s (last ` +
        `finishedAt at ${jobs.lastFinishedSec.toFixed(1)} s); p50/p99 ms: a job's time in its ` +
        `worker, startedAt to finishedAt`,
      `jobs inside a worker at once: ${jobs.meanRunning.toFixed(1)} on average, ` +
        `${jobs.mostRunning} at most` +
        (jobs.mostRunning > concurrency
          ? ` (JOBS_CONCURRENCY allows ${concurrency} thumbnail jobs)`
          : ''),
      `CPU per job: Kiln's node ${ms(perJob(k.kiln, kiln.completed))}, its launcher+ffmpeg ` +
        `${ms(perJob(k.kilnChildren, kiln.completed))}, PostgreSQL ` +
        `${ms(perJob(k.postgres, kiln.completed))}, Redis ${ms(perJob(k.redis, kiln.completed))}, ` +
        `this bench ${ms(perJob(k.bench, kiln.completed))}, other ` +
        `${ms(perJob(k.other, kiln.completed))}; direct: ffmpeg ` +
        `${ms(perJob(direct.cpu.benchChildren, direct.durationsMs.length))}; one ffprobe takes ` +
        `${ms(probeMs)} here, and a thumbnail job runs none (the upload's probe gave the ` +
        `input's duration; the output's size is read from its JPEG header)`,
    ];
    const directNote =
      `${count} x ffmpeg ${THUMBNAIL_WIDTH} px JPEG of a ${VIDEO.durationSec} s ` +
      `${VIDEO.width}x${VIDEO.height} H.264+AAC video, ${concurrency} at a time (Kiln's ` +
      `thumbnail concurrency), in ${seconds(direct.elapsedSec * 1000)} s (half before Kiln's ` +
      `jobs, half after); p50/p99 ms: one command`;
    return [
      context.row('kiln', kilnSummary, directSummary, { goal: GOAL, note: kilnNotes }),
      context.row('direct-ffmpeg', directSummary, directSummary, { note: directNote }),
    ];
  },
};
