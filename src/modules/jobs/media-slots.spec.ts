import { MediaSlots, ReleaseSlot } from './media-slots';

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('MediaSlots', () => {
  it('gives out as many slots as its size, then makes callers wait', async () => {
    const slots = new MediaSlots(2);
    expect(await slots.acquire()).toEqual(expect.any(Function));
    expect(await slots.acquire()).toEqual(expect.any(Function));
    expect(await settled(slots.acquire())).toBe(false);
  });

  it('hands a released slot to the waiters in the order they came', async () => {
    const slots = new MediaSlots(1);
    const first = (await slots.acquire()) as ReleaseSlot;
    const order: string[] = [];
    const second = slots.acquire().then((release) => (order.push('second'), release));
    const third = slots.acquire().then((release) => (order.push('third'), release));
    first();
    (await second)!();
    await third;
    expect(order).toEqual(['second', 'third']);
  });

  it('counts a release once, however often it is called', async () => {
    const slots = new MediaSlots(1);
    const release = (await slots.acquire()) as ReleaseSlot;
    release();
    release();
    await slots.acquire();
    expect(await settled(slots.acquire())).toBe(false);
  });

  it('answers null to a waiter whose signal fires, and keeps the slot for the next one', async () => {
    const slots = new MediaSlots(1);
    const release = (await slots.acquire()) as ReleaseSlot;
    const abort = new AbortController();
    const cancelled = slots.acquire(abort.signal);
    const next = slots.acquire();
    abort.abort();
    expect(await cancelled).toBeNull();
    release();
    expect(await next).toEqual(expect.any(Function));
  });

  it('answers null at once when the signal has already fired', async () => {
    const slots = new MediaSlots(1);
    expect(await slots.acquire(AbortSignal.abort())).toBeNull();
    expect(await slots.acquire()).toEqual(expect.any(Function));
  });
});
