import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { countCpu } from '../lib/cpu.mjs';
import { callApi, newAccount, register, uploadFile } from '../lib/kiln-api.mjs';
import { largeVideo, MEDIA_CACHE_DIR, sampleVideo } from '../lib/media.mjs';
import { sampleRss } from '../lib/rss.mjs';
import { median, megabytes } from '../lib/stats.mjs';

const UPLOADS = 3;
const RSS_SAMPLE_MS = 50;
// Kiln's RSS is read this long, after a warm-up upload and a pause, to know its idle level.
const SETTLE_MS = 1000;
const IDLE_MS = 1000;
// Samples go on this long after the last upload, in case memory peaks at the very end.
const TAIL_MS = 250;
// Goal: an upload streams to disk, so Kiln's RSS stays within this many MB of its idle level.
const RSS_CEILING_MB = 100;

async function sha256Of(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** The baseline: the same bytes streamed from the file into a new file, on the same disk. */
async function streamCopy(file, target) {
  const startedAt = performance.now();
  await pipeline(createReadStream(file), createWriteStream(target));
  const elapsedMs = performance.now() - startedAt;
  await rm(target, { force: true });
  return elapsedMs;
}

function throughput(bytes, timesMs) {
  const rates = timesMs.map((ms) => megabytes(bytes) / (ms / 1000));
  return { value: median(rates), unit: 'MB/s', latencyP50Ms: median(timesMs), ratesMBps: rates };
}

const mb = (bytes) => megabytes(bytes).toFixed(0);

/**
 * A large upload, streamed: POST /api/v1/media with a ~200 MB MP4, UPLOADS times, against
 * copying the same file on the same disk, while Kiln's RSS is read every RSS_SAMPLE_MS. Kiln
 * streams the part to a temporary file (hashing it on the way), probes it, and moves it into its
 * storage, so its memory should hardly move whatever the size.
 */
export default {
  name: 'upload',
  description: `POST /api/v1/media, ${UPLOADS} large uploads: Kiln against a stream copy, and Kiln's RSS`,
  async run(context) {
    const wantedBytes = context.settings.uploadMegabytes * 1e6;
    context.progress(`  making a ~${mb(wantedBytes)} MB MP4 (once; cached in ${MEDIA_CACHE_DIR})`);
    const file = await largeVideo(wantedBytes);
    const { size } = await stat(file);
    if (size > context.kiln.mediaMaxBytes) {
      throw new Error(
        `the ${size}-byte file is over Kiln's MEDIA_MAX_BYTES (${context.kiln.mediaMaxBytes})`,
      );
    }
    const sha256 = await sha256Of(file);
    const { accessToken: token } = await register(context.kilnUrl, newAccount('upload'));

    // Same file system as Kiln's storage, or the comparison is between two disks.
    const sameDisk =
      (await stat(context.scratchDir)).dev === (await stat(context.kiln.storageDir)).dev;
    context.progress(`  stream-copy: ${UPLOADS} copies of ${mb(size)} MB`);
    const copyMs = [];
    const copyCpu = countCpu(context.kiln.pid);
    for (let i = 0; i < UPLOADS; i++) {
      copyMs.push(await streamCopy(file, join(context.scratchDir, `copy-${i}.mp4`)));
    }
    const copyCpuMs = copyCpu.stop();

    context.progress(`  kiln: ${UPLOADS} uploads of ${mb(size)} MB, RSS every ${RSS_SAMPLE_MS} ms`);
    const pid = context.kiln.pid;
    let non2xx = 0;
    const problems = [];
    const refuse = (what, answer) => {
      non2xx++;
      problems.push(`${what} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    };
    // Warm-up: a small upload takes the multipart, hashing and probing paths once.
    const warm = await uploadFile(context.kilnUrl, token, await sampleVideo(), {
      contentType: 'video/mp4',
    });
    if (warm.status !== 201) refuse('warm-up POST /media', warm);
    else await callApi(context.kilnUrl, 'DELETE', `/media/${warm.json.id}`, { token, expect: 204 });
    await sleep(SETTLE_MS);
    const idleSampler = sampleRss(pid, RSS_SAMPLE_MS);
    await sleep(IDLE_MS);
    const idle = idleSampler.stop();
    const idleBytes = median(idle.samples.map((sample) => sample.bytes));

    const sampler = sampleRss(pid, RSS_SAMPLE_MS);
    const uploadMs = [];
    const uploadCpuMs = [];
    for (let i = 0; i < UPLOADS; i++) {
      const cpu = countCpu(pid);
      const answer = await uploadFile(context.kilnUrl, token, file, { contentType: 'video/mp4' });
      uploadCpuMs.push(cpu.stop());
      if (answer.status !== 201) {
        refuse('POST /media', answer);
        continue;
      }
      if (answer.json.sizeBytes !== size || answer.json.sha256 !== sha256) {
        problems.push(
          `Kiln stored ${answer.json.sizeBytes} bytes with SHA-256 ${answer.json.sha256}, ` +
            `not ${size} bytes with ${sha256}`,
        );
      }
      uploadMs.push(answer.elapsedMs);
      // 600 MB of copies would only fill the disk; deleting one is quick.
      await callApi(context.kilnUrl, 'DELETE', `/media/${answer.json.id}`, { token, expect: 204 });
    }
    await sleep(TAIL_MS);
    const during = sampler.stop();
    const afterBytes = during.samples.at(-1).bytes;

    const copy = { ...throughput(size, copyMs), cpuMs: copyCpuMs };
    const kiln = {
      ...throughput(size, uploadMs),
      cpuMs: uploadCpuMs,
      non2xx,
      errors: problems.length - non2xx,
      totalRequests: uploadMs.length,
      bytes: size,
      ...(problems.length ? { error: problems.join('; ') } : {}),
    };
    const memory = {
      value: megabytes(during.peakBytes - idleBytes),
      unit: 'MB',
      totalRequests: uploadMs.length,
      idleRssBytes: idleBytes,
      peakRssBytes: during.peakBytes,
      afterRssBytes: afterBytes,
      samples: during.samples.length,
    };
    const rates = (summary) => summary.ratesMBps.map((rate) => rate.toFixed(0)).join(', ');
    const memoryNote =
      `Kiln's RSS: ${mb(idleBytes)} MB idle, ${mb(during.peakBytes)} MB at the peak of ` +
      `${UPLOADS} uploads of ${mb(size)} MB, ${mb(afterBytes)} MB just after ` +
      `(${during.samples.length} samples)`;
    // Share of the uploads' time each process was on a CPU: near 100 % is one core's limit.
    const total = (key) => uploadCpuMs.reduce((sum, cpu) => sum + cpu[key], 0);
    const share = (...keys) => {
      const used = keys.reduce((sum, key) => sum + total(key), 0);
      return `${((used / total('wallMs')) * 100).toFixed(0)} %`;
    };
    const kilnNote =
      `during the uploads Kiln's node was on a CPU ${share('kiln')} of the time, this bench's ` +
      `client ${share('bench')}, everything else ` +
      `${share('kilnChildren', 'benchChildren', 'postgres', 'redis', 'other')}; p50 ms: one ` +
      `upload, from the request to the end of the answer`;
    const copyNote =
      `${mb(size)} MB, MB/s per run: Kiln ${rates(kiln)}; stream copy ${rates(copy)}` +
      (sameDisk ? '' : " (NOT on the file system of Kiln's storage)");
    return [
      context.row('kiln', kiln, copy, { note: kilnNote }),
      context.row('stream-copy', { ...copy, totalRequests: copyMs.length }, copy, {
        note: copyNote,
      }),
      context.row('kiln-rss', memory, null, { ceiling: RSS_CEILING_MB, note: memoryNote }),
    ];
  },
};
