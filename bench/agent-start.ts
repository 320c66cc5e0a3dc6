/**
 * `wren -p` start-up: time from spawning the CLI to its first request reaching the model (a local
 * OpenAI-wire teacher), next to Node's own start-up (a bare `node -e` sending the same request).
 * Target: under 150 ms over Node. The two alternate, so machine drift hits both alike.
 * WREN_BENCH_BASELINE_CLI=path/to/other/dist/bin/cli.js adds another build of wren (e.g. the previous
 * commit's) to the alternation, so a change is measured against its baseline side by side.
 * Then cancellation: time from Ctrl+C (SIGINT) to the model's request being dropped (target 100 ms).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cliPath } from "../test/helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../test/helpers/fake-upstreams/scripted-teacher.js";
import { fmt, median, percentile, report } from "./stats.js";

const ROUNDS = 15;

/** Milliseconds from spawn to the teacher's next request; waits for the process to exit. */
async function timeToRequest(teacher: ScriptedTeacher, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const seen = teacher.requests.length;
  const start = performance.now();
  const arrived = teacher.waitForRequests(seen + 1).then(() => performance.now() - start);
  const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const ms = await arrived;
  await exited;
  return ms;
}

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

export async function benchAgentStart(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-bench-agent-"));
  const project = path.join(root, "project");
  mkdirSync(project);
  await using teacher = await startScriptedTeacher(() => ({ text: "ok" }));
  const env = {
    ...process.env,
    WREN_HOME: path.join(root, "home"),
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
    OPENAI_API_KEY: "sk-bench",
  };
  const bare = `fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [], stream: true }) }).then((r) => r.text())`;
  const nodeArgs = ["-e", bare, `${teacher.url}/chat/completions`];
  const printArgs = ["-p", "--model", "openai:gpt-4o-mini", "hi"];
  const wrenArgs = [cliPath, ...printArgs];
  const baselineCli = process.env["WREN_BENCH_BASELINE_CLI"];
  const baselineArgs = baselineCli ? [path.resolve(baselineCli), ...printArgs] : undefined;
  try {
    // Warm-up: the file cache and the session folder.
    await timeToRequest(teacher, nodeArgs, env, project);
    await timeToRequest(teacher, wrenArgs, env, project);
    if (baselineArgs) await timeToRequest(teacher, baselineArgs, env, project);
    const node: number[] = [];
    const wren: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      node.push(await timeToRequest(teacher, nodeArgs, env, project));
      wren.push(await timeToRequest(teacher, wrenArgs, env, project));
      if (baselineArgs) baseline.push(await timeToRequest(teacher, baselineArgs, env, project));
    }
    const over = wren.map((w, i) => w - node[i]!);
    report("node -e: spawn → request (median)", fmt(median(node)), "ms");
    report("wren -p: spawn → first model request (median)", fmt(median(wren)), "ms");
    report("wren -p over Node's start-up (median, target < 150)", fmt(median(over)), "ms");
    report("wren -p over Node's start-up (p90)", fmt(percentile(over, 90)), "ms");
    if (baselineArgs) {
      const baselineOver = baseline.map((b, i) => b - node[i]!);
      report("baseline wren -p: spawn → first request (median)", fmt(median(baseline)), "ms");
      report("baseline wren -p over Node's start-up (median)", fmt(median(baselineOver)), "ms");
      report("wren -p / baseline (median of per-round ratios)", fmt(median(wren.map((w, i) => w / baseline[i]!)), 2), "×");
    }

    const cancel: number[] = [];
    for (let i = 0; i < 5; i++) cancel.push(await timeToCancel(env, project));
    report("wren -p: Ctrl+C → model request dropped (median, < 100)", fmt(median(cancel)), "ms");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
