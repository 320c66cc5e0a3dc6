import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { frameThrottle } from "./frame-throttle.js";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

it("delivers a burst of changes as one frame, and at most 20 frames a second while changes keep coming", () => {
  let frames = 0;
  const throttle = frameThrottle(() => frames++, 20);
  for (let i = 0; i < 100; i++) throttle.schedule();
  expect(frames).toBe(0);
  vi.advanceTimersByTime(0);
  expect(frames).toBe(1);
  // A change every millisecond for a second: a frame every 50 ms, no more.
  for (let ms = 0; ms < 1000; ms++) {
    throttle.schedule();
    vi.advanceTimersByTime(1);
  }
  expect(frames).toBeGreaterThanOrEqual(20);
  expect(frames).toBeLessThanOrEqual(21);
  throttle.schedule();
  throttle.cancel();
  vi.advanceTimersByTime(100);
  expect(frames).toBeLessThanOrEqual(21);
});
