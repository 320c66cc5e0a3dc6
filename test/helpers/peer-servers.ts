import { spawn, type ChildProcess } from "node:child_process";
import { cliPath } from "./cli.js";
import { watchServe } from "./serve-child.js";
import { projectRoot } from "./shared-models.js";

/** Where a wren process runs: this network namespace, or another one through `ip netns exec`. */
export function wrenArgv(args: readonly string[], netns?: string): [string, string[]] {
  return netns ? ["ip", ["netns", "exec", netns, process.execPath, cliPath, ...args]] : [process.execPath, [cliPath, ...args]];
}

/** Starts `wren serve --advertise` and resolves with its URL once it listens. */
export function serveAdvertised(model: string, env: Record<string, string>, options: { host?: string; netns?: string } = {}): { child: ChildProcess; url: Promise<string> } {
  const [command, argv] = wrenArgv(["serve", "--advertise", "--model", model, "--port", "0", ...(options.host ? ["--host", options.host] : [])], options.netns);
  const child = spawn(command, argv, { cwd: projectRoot, env: { ...process.env, WREN_ENGINE_THREADS: "1", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return { child, url: watchServe(child, { pattern: / on (http:\/\/\S+) \(/ }).url };
}

/** Runs `wren ARGS` (in a namespace when given) to completion. */
export function runWren(args: readonly string[], env: Record<string, string>, netns?: string, timeoutMs = 150_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, argv] = wrenArgv(args, netns);
  const child = spawn(command, argv, { cwd: projectRoot, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Asks until `done(response)` or the deadline: discovery takes as long as the network (and a busy machine) needs. */
export async function pollUntil(ask: () => Promise<Response>, done: (r: Response) => boolean, deadlineMs: number): Promise<Response> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const response = await ask();
    if (done(response) || Date.now() > end) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
