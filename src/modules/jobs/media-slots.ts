/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * The media slots of one job type: how many of its jobs may run ffmpeg at once
 * (JOBS_CONCURRENCY). Waiters get a slot in the order they asked.
 */
export class MediaSlots {
  private free: number;
  // A Set keeps insertion order, and a waiter that gives up leaves it in O(1).
  private readonly waiting = new Set<(release: ReleaseSlot) => void>();

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Resolves with the slot's release, or with null once the signal fires before a slot is free. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot | null> {
    if (signal?.aborted) return Promise.resolve(null);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const grant = (release: ReleaseSlot) => {
        signal?.removeEventListener('abort', giveUp);
        resolve(release);
      };
      const giveUp = () => {
        this.waiting.delete(grant);
        resolve(null);
      };
      this.waiting.add(grant);
      signal?.addEventListener('abort', giveUp, { once: true });
    });
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const [next] = this.waiting;
      if (!next) {
        this.free++;
        return;
      }
      this.waiting.delete(next);
      next(this.releaser());
    };
  }
}
