import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnCli } from "../helpers/cli.js";
import { watchServe } from "../helpers/serve-child.js";
import { sharedModelsDir } from "../helpers/shared-models.js";

/** The 128 k-context twin of the synthetic chat model: the agent CLIs' long prompts fit it. */
export const longContextModel = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");
/** The id `wren serve` gives it (the file's name). */
export const longContextModelId = "synthetic-bigram-chatml-128k";

/** A `wren serve` child process. */
export interface WrenServe extends AsyncDisposable {
  url: string;
  /** Everything it wrote to stderr so far (its log), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/**
 * Starts the built CLI's `wren serve` on the 128 k model, on a free loopback port, with its own
 * WREN_HOME, and resolves once it says where it listens. The context is the model's trained length:
 * the agent CLIs send 10–40 k-token prompts.
 */
export async function startWrenServe(options: { sequences?: number } = {}): Promise<WrenServe> {
  const home = await mkdtemp(path.join(os.tmpdir(), "wren-clients-home-"));
  const child: ChildProcess = spawnCli(
    ["serve", "--model", longContextModel, "--port", "0", "--context", "131072", "--sequences", String(options.sequences ?? 2), "--log-format", "json"],
    { env: { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: String(Math.min(2, os.availableParallelism())) } },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const served = watchServe(child);
  const url = await served.url;
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await rm(home, { recursive: true, force: true });
  };
  return { url, log: served.stderr, close, [Symbol.asyncDispose]: close };
}
