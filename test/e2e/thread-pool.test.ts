import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

/** The published `wren` command's first file (`npm test` builds the bundle first). */
const launcher = path.join(projectRoot, "dist", "bundle", "launcher.cjs");

/**
 * The launcher's decision, as built (tsc's CommonJS output: Vitest does not transform `.cts`).
 * `npm test` builds dist/ first.
 */
const { runsInference, sizeThreadPoolFor } = createRequire(import.meta.url)(path.join(projectRoot, "dist", "bin", "thread-pool.cjs")) as {
  runsInference: (args: readonly string[]) => boolean;
  sizeThreadPoolFor: (args: readonly string[], env: NodeJS.ProcessEnv) => void;
};

/** Node's own pool size, which wren must not keep for inference (libuv's default). */
const DEFAULT_POOL = 4;

/** A process's threads, libuv's pool among them: Linux lists them in /proc/PID/task. */
async function threadCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/task`)).length;
}

/**
 * Counts a command's threads as it starts (`count(undefined)`), with the pool set to 1, and with
 * the pool set to Node's default: wren's own choice must be the pool of one, three threads fewer.
 */
async function expectPoolOfOne(count: (pool: string | undefined) => Promise<number>): Promise<void> {
  const own = await count(undefined);
  const one = await count("1");
  const four = await count(String(DEFAULT_POOL));
  expect(own).toBe(one);
  expect(four - own).toBe(DEFAULT_POOL - 1);
}

/**
 * Runs `wren ARGS` through the launcher until `ready` matches its output, hands `measure` its pid
 * and the matched text, then ends it. `UV_THREADPOOL_SIZE` is only what `pool` says.
 */
async function withWren<T>(args: readonly string[], env: Record<string, string>, pool: string | undefined, ready: RegExp, measure: (pid: number, match: RegExpExecArray) => Promise<T>): Promise<T> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NO_COLOR: "1" };
  delete childEnv["UV_THREADPOOL_SIZE"];
  if (pool !== undefined) childEnv["UV_THREADPOOL_SIZE"] = pool;
  const child = spawn(process.execPath, [launcher, ...args], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      let out = "";
      const read = (d: string): void => {
        out += d;
        const m = ready.exec(out);
        if (m) resolve(m);
      };
      child.stdout.setEncoding("utf8").on("data", read);
      child.stderr.setEncoding("utf8").on("data", read);
      child.once("exit", (code) => reject(new Error(`wren ${args.join(" ")} exited ${code}: ${out}`)));
    });
    return await measure(child.pid!, match);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
}

describe("which commands get a pool of one thread", () => {
  it("the commands that decode in their own process", () => {
    for (const args of [["serve"], ["serve", "--daemon"], ["run", "hi"], ["bench"], ["probe", "m.gguf"], ["train", "eval"], ["train", "worker", "dir"], ["-p", "task", "--no-daemon"], ["--no-daemon"]]) {
      expect(runsInference(args), args.join(" ")).toBe(true);
    }
  });

  it("not the rest: help, the daemon's clients, `-p` and the terminal UI through the daemon", () => {
    for (const args of [[], ["-p", "task"], ["run", "--daemon", "hi"], ["serve", "--help"], ["run", "-h"], ["daemon", "start"], ["train", "run"], ["models", "list"], ["cmd", "--check", "ls"], ["--version"]]) {
      expect(runsInference(args), args.join(" ")).toBe(false);
    }
  });

  it("a setting of the user's own wins, and other commands' environment is untouched", () => {
    const env: NodeJS.ProcessEnv = {};
    sizeThreadPoolFor(["serve"], env);
    expect(env).toEqual({ UV_THREADPOOL_SIZE: "1" });
    const own: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: "8" };
    sizeThreadPoolFor(["serve"], own);
    expect(own).toEqual({ UV_THREADPOOL_SIZE: "8" });
    const other: NodeJS.ProcessEnv = {};
    sizeThreadPoolFor(["-p", "task"], other);
    expect(other).toEqual({});
  });
});

// /proc/PID/task is Linux's: macOS and Windows have no per-thread listing a test can read without
// extra tools, and libuv (before 1.50, Node 20's) gives its pool threads no name to tell them apart.
// So the pool is measured by difference: the same command with the pool's size set by hand.
describe.runIf(hasSharedModels && process.platform === "linux")("inference processes run libuv's pool with one thread", () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-thread-pool-"));
    // A malloc setting of the test's own keeps `wren serve` in one process on glibc (no restart
    // with the server's allocator settings), so the spawned pid is the one that serves.
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512", MALLOC_ARENA_MAX: "2" };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("wren serve: as many threads as with UV_THREADPOOL_SIZE=1, three fewer than with Node's default of 4", async () => {
    const serving = /serving synthetic-bigram-chatml on http/;
    const args = ["serve", "--model", sharedModels.chat, "--port", "0"];
    const count = (pool: string | undefined): Promise<number> => withWren(args, env, pool, serving, (pid) => threadCount(pid));
    await expectPoolOfOne(count);
  }, 180_000);

  it("the daemon: as many threads as with UV_THREADPOOL_SIZE=1, three fewer than when its user set 4", async () => {
    const started = /pid (\d+), http/;
    const args = ["daemon", "start", "--model", sharedModels.chat, "--port", "0"];
    const count = (pool: string | undefined): Promise<number> =>
      withWren(args, env, pool, started, async (_, match) => {
        try {
          return await threadCount(Number(match[1]));
        } finally {
          // `daemon stop` returns once the daemon is gone, so the next one starts afresh.
          const stop = spawn(process.execPath, [launcher, "daemon", "stop"], { env: { ...process.env, ...env }, stdio: "ignore" });
          await new Promise((resolve) => stop.once("exit", resolve));
        }
      });
    await expectPoolOfOne(count);
  }, 180_000);
});
