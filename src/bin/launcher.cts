#!/usr/bin/env node
// The published `wren` command's first file. It is CommonJS: Node starts a CommonJS entry without
// setting up its ES module loader, so `wren --version` (scripts, shell prompts and editors probe it
// often) prints and exits before that cost; every other command loads the ES module entry.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: require is how it imports */
import fs = require("node:fs");
import path = require("node:path");
import compileCache = require("./compile-cache.cjs");
import threadPool = require("./thread-pool.cjs");
/* eslint-enable @typescript-eslint/no-require-imports */

// V8's code cache on disk in wren's cache folder (Node >= 22.1), on before anything is compiled; a no-op on Node 20.
compileCache.enableCompileCache();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else if (args[0] === "cmd" && args.some((a) => a === "--check" || a.startsWith("--check=")) && fs.existsSync(path.join(__dirname, "fast-check.cjs"))) {
  // `wren cmd --check COMMAND` (shell hooks, agents' pre-run checks) from its own CommonJS bundle,
  // without the ES module loader and the command tree (src/cli/fast-check.ts). Other shapes, and
  // any failure, go through the command tree, which reports them as always.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose, see above
  const { runFastCheck } = require(path.join(__dirname, "fast-check.cjs")) as { runFastCheck: (args: readonly string[]) => Promise<number | undefined> };
  runFastCheck(args).then(
    (code) => (code === undefined ? loadCli() : void (process.exitCode = code)),
    () => loadCli(),
  );
} else {
  loadCli();
}

function loadCli(): void {
  // Before import(): Node's ES module loader starts libuv's thread pool, whose size is fixed then.
  threadPool.sizeThreadPoolFor(args);
  // cli.js sits next to this file (dist/bin/ from tsc, dist/bundle/ from the bundle).
  void import("./cli.js");
}
