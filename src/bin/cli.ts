#!/usr/bin/env node
import compileCache from "./compile-cache.cjs";
import threadPool from "./thread-pool.cjs";

// A write past the process's file-size limit (ulimit -f) raises SIGXFSZ. Node ignores it, so the
// write fails with EFBIG and wren says so (a session transcript: its record left out, the prompt
// given back); but the terminal UI's Ink loads signal-exit, which, as the signal's only listener,
// re-raises it with its default action and kills wren mid-write. A listener of wren's own keeps
// that from happening. POSIX only (Windows has no such signal); spawned processes get the
// default back (libuv resets their signals).
if (process.platform !== "win32") process.on("SIGXFSZ", () => undefined);

// The launcher (launcher.cts, the published command's first file) sizes libuv's thread pool for
// inference commands. By the time this ES module runs, Node's loader has started the pool: run
// directly (tsc's output, as a few tests do), this file keeps Node's default of 4 threads unless
// UV_THREADPOOL_SIZE is in the environment. Setting it here still reaches the processes it starts
// (`wren serve`'s restart with its allocator settings).
threadPool.sizeThreadPoolFor(process.argv.slice(2));

// V8's code cache on disk in wren's cache folder (Node >= 22.1): later starts skip compiling wren
// and its dependencies. Node 20 has no such API, and there this is a no-op. Run from the launcher,
// it is on already (in the same folder). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
compileCache.enableCompileCache();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  // The commonest probe of a CLI (scripts, shell prompts, editors) needs none of the command tree.
  const { printVersion } = await import("../cli/version.js");
  printVersion();
} else if (args.length === 0 && process.stdin.isTTY && process.stdout.isTTY && process.env["TERM"] !== "dumb") {
  // Bare `wren` in a terminal always opens the terminal UI: its first frame goes up before the
  // command tree (and the allocator check, which concerns `wren serve` only) is even loaded. A
  // terminal that cannot move its cursor (TERM=dumb) is told so by the command tree instead.
  const { drawFirstFrame } = await import("../cli/tui/first-frame.js");
  const firstFrame = drawFirstFrame("auto");
  const { main } = await import("../cli/main.js");
  process.exitCode = await main(args, { firstFrame });
} else {
  const allocator = await import("../cli/allocator-restart.js");
  if (allocator.needsAllocatorRestart(args)) {
    // `wren serve` on glibc: its malloc settings must be in the environment when the process starts.
    process.exitCode = await allocator.restartWithServerAllocator();
  } else {
    allocator.watchRestartParent();
    const { main } = await import("../cli/main.js");
    process.exitCode = await main(args);
  }
}
