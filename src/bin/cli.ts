#!/usr/bin/env node
// Inference shares the process with the libuv pool; a pool of one keeps its threads off the compute
// cores (measured: the default pool of four costs a quarter of decode speed on two cores). It must be
// set before the pool is first used, so it comes before any other import does I/O.
process.env["UV_THREADPOOL_SIZE"] ??= "1";

const { main } = await import("../cli/main.js");
process.exitCode = await main(process.argv.slice(2));
