import { spawn } from "node:child_process";
import { constants } from "node:os";
import { SERVER_MALLOC_ENV } from "../shared/malloc-env.js";

/** Set in the restarted process, so it knows its parent only relays signals and its exit status. */
const RESTARTED = "WREN_ALLOCATOR_RESTARTED";

function usesGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === "string";
}

/**
 * True when `wren serve` should start itself once more with {@link SERVER_MALLOC_ENV}: glibc reads
 * them only when a process starts. Only `serve` (the daemon is started with them already), only on
 * Linux with glibc (musl, macOS and Windows have other allocators), and never when the user set
 * any malloc setting of their own.
 */
export function needsAllocatorRestart(args: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (args[0] !== "serve" || process.platform !== "linux" || env[RESTARTED] !== undefined) return false;
  // The daemon's starter sets them, and must find the daemon at the pid it started.
  if (args.includes("--daemon")) return false;
  if (Object.keys(SERVER_MALLOC_ENV).some((name) => env[name] !== undefined)) return false;
  return usesGlibc();
}

/**
 * Runs this command again in a child process with {@link SERVER_MALLOC_ENV} set, relays SIGINT,
 * SIGTERM and SIGHUP to it, and resolves with its exit code. The child runs in a process group of
 * its own, so a Ctrl+C reaches it once (relayed), not twice; and it ends itself if this process
 * dies without relaying anything (the IPC channel closes: see {@link watchRestartParent}).
 */
export function restartWithServerAllocator(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...SERVER_MALLOC_ENV, [RESTARTED]: "1" },
    detached: true,
  });
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const relay = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of signals) process.on(signal, relay);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      for (const s of signals) process.off(s, relay);
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

/**
 * In a restarted server: ends it (as SIGTERM would, cleanly) when the parent that relays its
 * signals is gone, e.g. killed with SIGKILL, so it never outlives the process its user started.
 */
export function watchRestartParent(): void {
  if (process.env[RESTARTED] === undefined || !process.channel) return;
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
