import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/**
 * A small Node program between the worker and the trainer. The trainer runs in its own process
 * group (its own process tree on Windows); the guard reads its stdin, a pipe from the worker, and
 * when that ends (the worker closed it, or the worker died, even by SIGKILL: the system closes a
 * dead process's pipes on every platform) it kills the trainer and everything it started. SIGTERM
 * is passed on to the trainer; the guard exits as the trainer did (128 + the signal's number when
 * a signal ended it). So no trainer, whatever program it is, outlives its worker.
 *
 * Plain CommonJS for `node -e`: it must run unchanged from the sources and from the bundle.
 */
const GUARD = `
const { spawn } = require("node:child_process");
const os = require("node:os");
const [program, ...args] = process.argv.slice(1);
const windows = process.platform === "win32";
const child = spawn(program, args, { stdio: ["ignore", "inherit", "inherit"], detached: !windows, windowsHide: true });
const kill = (signal) => {
  if (child.pid === undefined) return;
  try {
    if (!windows) process.kill(-child.pid, signal);
    else if (signal === "SIGKILL") spawn("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
    else child.kill(signal);
  } catch {}
};
process.on("SIGTERM", () => kill("SIGTERM"));
process.stdin.on("data", () => {});
process.stdin.on("end", () => kill("SIGKILL"));
process.stdin.on("error", () => kill("SIGKILL"));
child.on("error", (error) => {
  process.stderr.write("The trainer did not start: " + error.message + "\\n");
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
`;

/** The guarded trainer process: write nothing to its stdin; end it to kill the trainer at once. */
export type GuardedTrainer = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts `program args` under the guard. `SIGTERM` to the returned process asks the trainer to stop
 * (on POSIX); ending its stdin kills the trainer and its children (on every platform).
 */
export function spawnGuarded(program: string, args: readonly string[], env: NodeJS.ProcessEnv): GuardedTrainer {
  return spawn(process.execPath, ["-e", GUARD, "--", program, ...args], { stdio: ["pipe", "pipe", "pipe"], windowsHide: true, env });
}
