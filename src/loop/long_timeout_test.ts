import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import { MAX_TIMER_MS, setLongTimeout } from "./long_timeout.ts";

/** Run `fn` with a fake clock: timers fire in order as the clock jumps to them. */
function withFakeClock(fn: (fire: () => number[]) => void) {
  const realSet = globalThis.setTimeout;
  const realNow = performance.now;
  let now = 0;
  const pending: { at: number; cb: () => void; delay: number }[] = [];
  globalThis.setTimeout = ((cb: () => void, delay: number) => {
    pending.push({ at: now + delay, cb, delay });
    return pending.length;
  }) as unknown as typeof setTimeout;
  performance.now = () => now;
  try {
    fn(() => {
      const delays: number[] = [];
      while (pending.length > 0) {
        const next = pending.shift()!;
        delays.push(next.delay);
        now = next.at;
        next.cb();
      }
      return delays;
    });
  } finally {
    globalThis.setTimeout = realSet;
    performance.now = realNow;
  }
}

Deno.test("a 40-day timer is a chain of timers no longer than setTimeout honours, and fires once, on time", () => {
  withFakeClock((fire) => {
    const ms = 40 * 24 * 3600 * 1000;
    let firedAt: number | undefined;
    setLongTimeout(() => firedAt = performance.now(), ms);
    const delays = fire();
    assertEquals(delays.every((d) => d <= MAX_TIMER_MS), true);
    assertEquals(delays.length, 2);
    assertEquals(firedAt, ms);
  });
});

Deno.test("a short timer is one setTimeout; a bad delay is a RangeError", () => {
  withFakeClock((fire) => {
    let fired = 0;
    setLongTimeout(() => fired++, 1500);
    assertEquals(fire(), [1500]);
    assertEquals(fired, 1);
  });
  assertThrows(() => setLongTimeout(() => {}, Infinity), RangeError);
  assertThrows(() => setLongTimeout(() => {}, -1), RangeError);
});
