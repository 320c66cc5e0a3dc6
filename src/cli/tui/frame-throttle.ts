/** Redraws per second at most while text streams in: enough to read as smooth, cheap on a busy machine. */
export const MAX_FPS = 20;

/**
 * Coalesces change notifications: the first change after a quiet period is delivered on the next
 * tick, later ones at most once per frame (1000 / {@link MAX_FPS} ms), so a model streaming hundreds
 * of tokens a second costs at most 20 renders a second.
 */
export function frameThrottle(flush: () => void, fps = MAX_FPS): { schedule(): void; cancel(): void } {
  const frameMs = 1000 / fps;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule() {
      if (timer) return;
      const wait = Math.max(0, last + frameMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        flush();
      }, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
