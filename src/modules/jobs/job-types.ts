export enum JobType {
  Transcode = 'transcode',
  Thumbnail = 'thumbnail',
  Montage = 'montage',
  AudioExtract = 'audio-extract',
  Generate = 'generate',
}

export enum JobStatus {
  Queued = 'queued',
  Processing = 'processing',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const UNFINISHED_STATUSES = [JobStatus.Queued, JobStatus.Processing];
export const FINISHED_STATUSES = [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];

/** How many inputs each type takes; all of them must be videos. */
export const INPUT_COUNTS: Record<JobType, { min: number; max: number }> = {
  [JobType.Transcode]: { min: 1, max: 1 },
  [JobType.Thumbnail]: { min: 1, max: 1 },
  [JobType.Montage]: { min: 2, max: 20 },
  [JobType.AudioExtract]: { min: 1, max: 1 },
  [JobType.Generate]: { min: 0, max: 0 },
};
