/**
 * `wren -p` cancellation: time from Ctrl+C (SIGINT) to the model's request being dropped (target
 * 100 ms). Its start-up (spawn to first request) is measured with the other start-up figures in
 * start-up.ts.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cliPath } from "../test/helpers/cli.js";
import { startScriptedTeacher } from "../test/helpers/fake-upstreams/scripted-teacher.js";
import { fmt, median, report } from "./stats.js";

/** Milliseconds from SIGINT to the teacher seeing its hanging answer's client go away. */
async function timeToCancel(env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  await using teacher = await startScriptedTeacher([{ hang: true }]);
  const providers = JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } });
  const child = spawn(process.execPath, [cliPath, "-p", "--model", "openai:gpt-4o-mini", "wait"], { env: { ...env, WREN_ROUTER_PROVIDERS: providers }, cwd, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await teacher.waitForRequests(1);
  const start = performance.now();
  child.kill("SIGINT");
  await teacher.waitForHangUps(1);
  const ms = performance.now() - start;
  await exited;
  return ms;
}

export async function benchAgentCancel(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-bench-cancel-"));
  const project = path.join(root, "project");
  mkdirSync(project);
  const env = { ...process.env, WREN_HOME: path.join(root, "home"), WREN_MODELS_DEFAULT: "", WREN_ROUTER_CLOUD: "allow", OPENAI_API_KEY: "sk-bench" };
  try {
    const cancel: number[] = [];
    for (let i = 0; i < 5; i++) cancel.push(await timeToCancel(env, project));
    report("wren -p: Ctrl+C → model request dropped (median, < 100)", fmt(median(cancel)), "ms");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
