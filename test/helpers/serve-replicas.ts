import type { ChildProcess } from "node:child_process";
import { spawnCli } from "./cli.js";
import { watchServe } from "./serve-child.js";

/** A `wren serve` child process that has said where it serves. */
export interface ServeProcess {
  /** Where it listens, as it printed it (`http://127.0.0.1:PORT`). */
  url: string;
  child: ChildProcess;
  /** Resolves with its exit code once it has exited. */
  exited: Promise<number | null>;
  /** Everything it has written to stderr so far (it keeps growing while it runs). */
  stderr: () => string;
}

/** The `wren serve` processes a test file started, to stop them all when it ends. */
export interface ServeReplicas {
  /** Starts `wren serve --port 0` with `env` and resolves once it serves. */
  start(env: Record<string, string>): Promise<ServeProcess>;
  /** Those that have come up, in the order they did. */
  readonly started: readonly ServeProcess[];
  /** SIGTERM to each process started (up or not) and waits for each to exit. */
  stopAll(): Promise<void>;
}

/**
 * A tracker of `wren serve` processes (the built CLI), one per `describe`, stopped by
 * `afterAll(() => replicas.stopAll())`. Each `start` resolves once the process's stderr names the
 * URL it serves on, and rejects, with its stderr, if it exits first.
 */
export function serveReplicas(): ServeReplicas {
  const started: ServeProcess[] = [];
  // Every child, also one still starting when the test gave up on it, so that none outlives the file.
  const children: Array<{ child: ChildProcess; exited: Promise<number | null> }> = [];
  return {
    started,
    async start(env) {
      const { child, exited, stderr, url } = spawnServe(env);
      children.push({ child, exited });
      const replica = { url: await url, child, exited, stderr };
      started.push(replica);
      return replica;
    },
    async stopAll() {
      for (const { child, exited } of children) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

function spawnServe(env: Record<string, string>): Omit<ServeProcess, "url"> & { url: Promise<string> } {
  const child = spawnCli(["serve", "--port", "0"], { env });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const { url, stderr } = watchServe(child);
  return { child, exited, stderr, url };
}
