// Preloaded into a child process (`node --expose-gc --import resource-probe.mjs dist/bin/cli.js …`)
// spawned with an IPC channel and TEST_RESOURCE_PROBE=1. On the parent's "measure" message it runs
// a full garbage collection and answers with the heap still in use and the process's active
// resources, so a test can watch a real server's memory and timers without any debug route in wren.
//
// Only the process the test spawned is probed: the variable is removed at once, so processes it
// starts in turn (node-llama-cpp tests its backends in children that inherit the node flags) run
// untouched.
if (process.env.TEST_RESOURCE_PROBE === "1" && process.send) {
  delete process.env.TEST_RESOURCE_PROBE;
  process.on("message", (message) => {
    if (message !== "measure") return;
    // Two passes: the first may only queue finalizers whose objects the second frees.
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({
      gc: typeof globalThis.gc === "function",
      heapUsed: process.memoryUsage().heapUsed,
      resources: process.getActiveResourcesInfo(),
    });
  });
  // The channel must not keep the server alive once it is told to stop.
  process.channel?.unref();
}
