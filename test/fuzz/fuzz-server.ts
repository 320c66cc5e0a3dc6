import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnCli } from "../helpers/cli.js";
import { CHATML } from "../helpers/gguf-writer.js";
import { watchServe } from "../helpers/serve-child.js";
import { sharedModelsDir } from "../helpers/shared-models.js";
import { syntheticModel } from "../helpers/synthetic-models.js";
import { collectGarbage, INSPECT_ON_SIGNAL } from "./collect-garbage.js";
import { servedModel } from "./valid-requests.js";

/** Options of {@link startFuzzServer}. */
export interface FuzzServerOptions {
  /** Context per sequence in tokens. Default 4096: room for every valid prompt the fuzzer makes. */
  contextSize?: number;
  /** `server.requestTimeout` in seconds. Default 30: no valid request comes near it. */
  requestTimeoutSeconds?: number;
}

/** `wren serve` as a child process, serving one small chat model as `fuzz` (alias `fuzz-alias`). */
export interface FuzzServer extends AsyncDisposable {
  url: URL;
  /**
   * The process that serves (from `/status`): on Linux with glibc `wren serve` starts itself once
   * more with its malloc settings, and that second process is the server whose memory and event
   * loop the fuzzer checks.
   */
  pid: number;
  /** How the process ended, when it has. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The last 16 KiB of its stderr (its log). */
  log(): string;
  /** Resident memory in bytes from /proc (Linux); undefined elsewhere. */
  rss(): Promise<number | undefined>;
  /** Has V8 in the server collect all it can and give back free heap pages (see {@link collectGarbage}); Linux and macOS. */
  collectGarbage(): Promise<void>;
  /**
   * Waits until `/status` counts no request active or queued, for at most `timeoutMs`; returns the
   * last count (0 when idle). Requests the fuzzer abandoned are cancelled by the server
   * asynchronously, so this polls rather than reading once.
   */
  idle(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The test chat model with a 128k context when ../shared/models has it (so a 4096-token context is
 * really 4096: valid requests with tools fit), else a generated ChatML model of that context.
 */
async function chatModel(): Promise<string> {
  const long = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");
  if (existsSync(long)) return long;
  return syntheticModel({ ...CHATML, contextLength: 4096 });
}

/** Starts `wren serve` on a free loopback port and resolves once `/ready` says the model is loaded. */
export async function startFuzzServer(options: FuzzServerOptions = {}): Promise<FuzzServer> {
  const home = await mkdtemp(path.join(os.tmpdir(), "wren-fuzz-"));
  const model = await chatModel();
  const child: ChildProcess = spawnCli(["serve", "--port", "0"], {
    env: {
      WREN_HOME: home,
      WREN_ENGINE_GPU: "cpu",
      WREN_ENGINE_CONTEXT_SIZE: String(options.contextSize ?? 4096),
      WREN_SERVER_REQUEST_TIMEOUT: String(options.requestTimeoutSeconds ?? 30),
      WREN_SERVER_MODELS: JSON.stringify([{ id: servedModel.id, ref: model, aliases: [servedModel.alias] }]),
      WREN_LOGGING_LEVEL: "warn",
      NODE_OPTIONS: [process.env.NODE_OPTIONS, INSPECT_ON_SIGNAL].filter(Boolean).join(" "),
      // FUZZ_SERVER_ENV='{"NAME":"value"}' adds to the server's environment, to diagnose a run
      // (NODE_OPTIONS with a profiler, say).
      ...(process.env.FUZZ_SERVER_ENV ? (JSON.parse(process.env.FUZZ_SERVER_ENV) as Record<string, string>) : {}),
    },
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once("exit", (code, signal) => ((exit = { code, signal }), resolve())));
  // Always drained (a full stderr pipe would block the server), its last 16 KB kept.
  const served = watchServe(child, { keep: 16_384 });
  child.stdout?.resume();
  const url = new URL(await served.url);
  // Start-up 503s are not the fuzzer's business: wait for the model to be loaded.
  for (;;) {
    const ready = await fetch(new URL("/ready", url)).catch(() => undefined);
    if (ready?.status === 200) break;
    if (exit) throw new Error(`wren serve exited while loading (${JSON.stringify(exit)}):\n${served.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const { pid } = (await (await fetch(new URL("/status", url))).json()) as { pid: number };
  const stop = async (): Promise<void> => {
    if (!exit) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(home, { recursive: true, force: true });
  };
  return {
    url,
    pid,
    exit: () => exit,
    log: served.stderr,
    rss: async () => {
      if (process.platform !== "linux") return undefined;
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    },
    collectGarbage: () => collectGarbage(pid, served.stderr),
    idle: async (timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const status = (await (await fetch(new URL("/status", url))).json()) as { activeRequests: number };
        if (status.activeRequests === 0 || Date.now() > until) return status.activeRequests;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
