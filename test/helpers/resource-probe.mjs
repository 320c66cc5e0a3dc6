// Preloaded into a child process (`node --expose-gc --import resource-probe.mjs dist/bundle/launcher.cjs …`)
// spawned with an IPC channel and TEST_RESOURCE_PROBE=1. On the parent's "measure" message it runs
// a full garbage collection and answers with the heap still in use and the number of timers that
// are pending, so a test can watch a real server's memory and timers without any debug route in
// wren.
//
// Timers are counted by wrapping the global setTimeout / clearTimeout, which is what wren uses:
// `process.getActiveResourcesInfo()` lists only timers that keep the process alive, and wren unrefs
// its timeouts, so it would not see them.
//
// Only the process the test spawned is probed: the variable is removed at once, so processes it
// starts in turn (node-llama-cpp tests its backends in children that inherit the node flags) run
// untouched.
if (process.env.TEST_RESOURCE_PROBE === "1" && process.send) {
  delete process.env.TEST_RESOURCE_PROBE;
  const pending = new Set();
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
    const timer = realSetTimeout(
      function fired(...callArgs) {
        pending.delete(timer);
        return typeof callback === "function" ? callback.apply(this, callArgs) : undefined;
      },
      ms,
      ...args,
    );
    pending.add(timer);
    return timer;
  };
  globalThis.clearTimeout = function clearTimeout(timer) {
    pending.delete(timer);
    return realClearTimeout(timer);
  };
  process.on("message", (message) => {
    if (message !== "measure") return;
    // Two passes: the first may only queue finalizers whose objects the second frees.
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({
      gc: typeof globalThis.gc === "function",
      heapUsed: process.memoryUsage().heapUsed,
      pendingTimers: pending.size,
    });
  });
  // The channel must not keep the server alive once it is told to stop.
  process.channel?.unref();
}
