// Which wren commands run inference in their own process, read from the arguments alone: the
// launcher decides before anything starts libuv's thread pool, whose size is fixed then.

/** `wren run`'s and `-p`'s flag to reach the model through the daemon instead. */
const VIA_DAEMON = "--daemon";
/** `-p`'s and the terminal UI's flag to load the local model in this process. */
const IN_PROCESS = "--no-daemon";

/**
 * True when the command `args` names loads a model and decodes in this process: `wren serve` (and
 * the daemon, which is `serve --daemon`), `wren run` (unless `--daemon`), `wren bench`, `wren
 * probe`, `wren train eval` and the training job's worker, and `wren -p` or the terminal UI with
 * `--no-daemon`. Commands name themselves first (see src/cli/commands/index.ts), so argv[0] is
 * the command; anything else (help, the root's words) is not inference. `-p` and the terminal UI
 * also decode in process when a route's local model answers them (not the daemon's model): that
 * needs the config to know, and they keep Node's default pool there, which starts them sooner.
 */
function runsInference(args: readonly string[]): boolean {
  if (args.includes("-h") || args.includes("--help")) return false;
  switch (args[0]) {
    case "serve":
    case "bench":
    case "probe":
      return true;
    case "run":
      return !args.includes(VIA_DAEMON);
    case "train":
      return args[1] === "eval" || args[1] === "worker";
    default:
      return args.includes(IN_PROCESS);
  }
}

/**
 * Sets UV_THREADPOOL_SIZE=1 for an inference command (a value the user set wins). node-llama-cpp
 * runs its native work on libuv's pool, whose threads then fight llama.cpp's compute threads for
 * the cores: with Node's default pool of 4 a small model decodes at 0.73-0.81x llama-server's speed,
 * with 1 at about 1.0x. libuv reads the variable once, when its pool starts, and Node's ES module
 * loader starts it (it reads files through the pool), so this must run before the first `import()`.
 * Other commands keep the default pool: with one thread, the ES module loader's reads queue behind
 * each other and `wren -p` started about 50 ms later under load.
 */
function sizeThreadPoolFor(args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (runsInference(args)) env["UV_THREADPOOL_SIZE"] ??= "1";
}

export = { runsInference, sizeThreadPoolFor };
