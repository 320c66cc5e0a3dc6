/**
 * Start-up, side by side in one run: Node's own start (`node -e 0`), `wren --version`,
 * `wren cmd --check` of `ls` and of an ordinary command line (spawn to exit), and `wren -p` from
 * spawn to its first request reaching the model (a local OpenAI-wire teacher that answers at once)
 * and to its exit, next to a bare `node -e` sending the same request. Each round runs every command once, in turn, so machine drift hits all alike; the
 * figures are medians of per-round ratios (or differences) over Node's start in the same round.
 * Targets: --version at most 1.2x node, cmd --check at most 2x, -p under 150 ms over Node's own
 * start (`node -e 0`); -p is also shown over Node's own request, which pays for Node's fetch too.
 * "wren" is the package's bin as users run it (the CommonJS launcher, then the bundle); tsc's
 * unbundled dist/bin/cli.js runs in the same rounds. WREN_BENCH_BASELINE_CLI=path/to/other/cli.js
 * adds another build of wren (e.g. the previous commit's) to every round, so a change is measured
 * against it side by side. `wren -p` also reports its CPU time up to its first connection (a
 * preloaded hook, bench/cpu-at-connect.mjs): the figure that moves least with the machine's load.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { unbundledCliPath } from "../test/helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../test/helpers/fake-upstreams/scripted-teacher.js";
import { publishedCli, verdict } from "./published-cli.js";
import { fmt, median, percentile, report } from "./stats.js";

const ROUNDS = 15;

/** Milliseconds from spawn to exit; a failed run is an error, not a fast figure. */
async function timeToExit(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const start = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", resolve);
  });
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`${args.join(" ")} exited ${code}`);
  return ms;
}

/** Preloaded into `wren -p`: reports its CPU time at its first connection (see the file). */
const CPU_AT_CONNECT = fileURLToPath(new URL("./cpu-at-connect.mjs", import.meta.url));

/**
 * Milliseconds from spawn to the teacher's next request, and with `cpu` the process's CPU time
 * until it connected (`CPU_AT_CONNECT` preloaded; NaN when it did not say); waits for the process to exit.
 */
async function timeToRequest(teacher: ScriptedTeacher, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, cpu = false): Promise<{ ms: number; cpu: number; exitMs: number }> {
  const seen = teacher.requests.length;
  const start = performance.now();
  const arrived = teacher.waitForRequests(seen + 1).then(() => performance.now() - start);
  const child = spawn(process.execPath, [...(cpu ? ["--import", CPU_AT_CONNECT] : []), ...args], { env, cwd, stdio: ["ignore", "ignore", "inherit", "pipe"] });
  let reported = "";
  (child.stdio[3] as Readable | null)?.setEncoding("utf8").on("data", (d: string) => (reported += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const ms = await Promise.race([arrived, exited.then((code) => Promise.reject(new Error(`${args.join(" ")} exited ${code} before its request`)))]);
  await exited;
  return { ms, cpu: reported ? Number(reported) : Number.NaN, exitMs: performance.now() - start };
}

/** One build of wren's figures for one round. */
interface Round {
  version: number;
  check: number;
  /** `cmd --check` of an ordinary command line, long enough that V8 would tier the grammar's lexer up. */
  checkLine: number;
  print: number;
  /** `wren -p` from spawn to exit: its answer printed, and whatever the process waits for before it ends. */
  printExit: number;
  /** CPU time of `wren -p` until it connected to the model. */
  printCpu: number;
}

const CHECK_LINE = "git status && npm test -- --reporter=dot > /tmp/out.txt";

async function measureCli(cli: string, teacher: ScriptedTeacher, env: NodeJS.ProcessEnv, cwd: string): Promise<Round> {
  return {
    version: await timeToExit([cli, "--version"], env, cwd),
    check: await timeToExit([cli, "cmd", "--check", "ls", "--shell", "bash"], env, cwd),
    checkLine: await timeToExit([cli, "cmd", "--check", CHECK_LINE, "--shell", "bash"], env, cwd),
    ...(await timeToRequest(teacher, [cli, "-p", "--model", "openai:gpt-4o-mini", "hi"], env, cwd).then((r) => ({ print: r.ms, printExit: r.exitMs }))),
    // A run of its own: the hook that reports the CPU time is not part of the timed run above.
    printCpu: (await timeToRequest(teacher, [cli, "-p", "--model", "openai:gpt-4o-mini", "hi"], env, cwd, true)).cpu,
  };
}

function reportCli(label: string, rounds: Round[], node: number[], nodeFetch: number[], nodeFetchExit: number[]): void {
  report(`${label} --version (median)`, fmt(median(rounds.map((r) => r.version))), "ms");
  const version = median(rounds.map((r, i) => r.version / node[i]!));
  report(`${label} --version / node -e 0 (target ≤ 1.2)`, `${fmt(version, 2)} × ${verdict(version <= 1.2)}`);
  report(`${label} cmd --check 'ls' (median)`, fmt(median(rounds.map((r) => r.check))), "ms");
  const check = median(rounds.map((r, i) => r.check / node[i]!));
  report(`${label} cmd --check 'ls' / node -e 0 (target ≤ 2)`, `${fmt(check, 2)} × ${verdict(check <= 2)}`);
  const checkLine = median(rounds.map((r, i) => r.checkLine / node[i]!));
  report(`${label} cmd --check '${CHECK_LINE}' / node -e 0 (target ≤ 2)`, `${fmt(checkLine, 2)} × ${verdict(checkLine <= 2)}`);
  report(`${label} -p: spawn → first model request (median)`, fmt(median(rounds.map((r) => r.print))), "ms");
  const overStart = median(rounds.map((r, i) => r.print - node[i]!));
  report(`${label} -p over node -e 0 (median, target < 150)`, `${fmt(overStart)} ms ${verdict(overStart < 150)}`);
  const over = rounds.map((r, i) => r.print - nodeFetch[i]!);
  report(`${label} -p over Node's own request (median)`, fmt(median(over)), "ms");
  report(`${label} -p over Node's own request (p90)`, fmt(percentile(over, 90)), "ms");
  report(`${label} -p: CPU time to its first connection (median)`, fmt(median(rounds.map((r) => r.printCpu))), "ms");
  report(`${label} -p: spawn → exit (median)`, fmt(median(rounds.map((r) => r.printExit))), "ms");
  report(`${label} -p: first model request → exit (median)`, fmt(median(rounds.map((r) => r.printExit - r.print))), "ms");
  report(`${label} -p: exit over Node's own request's exit (median)`, fmt(median(rounds.map((r, i) => r.printExit - nodeFetchExit[i]!))), "ms");
}

export async function benchStartUp(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-bench-start-"));
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
  const nodeFetchArgs = ["-e", bare, `${teacher.url}/chat/completions`];
  const baselineCli = process.env["WREN_BENCH_BASELINE_CLI"];
  const builds: Array<{ label: string; cli: string; rounds: Round[] }> = [{ label: "wren", cli: publishedCli(), rounds: [] }];
  if (path.resolve(unbundledCliPath) !== builds[0]!.cli) builds.push({ label: "unbundled", cli: unbundledCliPath, rounds: [] });
  if (baselineCli) builds.push({ label: "baseline", cli: path.resolve(baselineCli), rounds: [] });
  try {
    // Warm-up: the file cache, the session folder and any compile cache.
    await timeToExit(["-e", "0"], env, project);
    await timeToRequest(teacher, nodeFetchArgs, env, project);
    for (const build of builds) await measureCli(build.cli, teacher, env, project);
    const node: number[] = [];
    const nodeFetch: number[] = [];
    const nodeFetchExit: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      node.push(await timeToExit(["-e", "0"], env, project));
      const fetched = await timeToRequest(teacher, nodeFetchArgs, env, project);
      nodeFetch.push(fetched.ms);
      nodeFetchExit.push(fetched.exitMs);
      for (const build of builds) build.rounds.push(await measureCli(build.cli, teacher, env, project));
    }
    report("node -e 0: spawn → exit (median)", fmt(median(node)), "ms");
    report("node -e fetch: spawn → request (median)", fmt(median(nodeFetch)), "ms");
    report("node -e fetch: spawn → exit (median)", fmt(median(nodeFetchExit)), "ms");
    for (const build of builds) reportCli(build.label, build.rounds, node, nodeFetch, nodeFetchExit);
    const wren = builds[0]!.rounds;
    for (const other of builds.slice(1)) {
      const base = other.rounds;
      report(`wren / ${other.label} --version (median ratio)`, fmt(median(wren.map((w, i) => w.version / base[i]!.version)), 2), "×");
      report(`wren / ${other.label} cmd --check (median ratio)`, fmt(median(wren.map((w, i) => w.check / base[i]!.check)), 2), "×");
      report(`wren / ${other.label} -p to first request (median ratio)`, fmt(median(wren.map((w, i) => w.print / base[i]!.print)), 2), "×");
      report(`wren / ${other.label} -p spawn → exit (median ratio)`, fmt(median(wren.map((w, i) => w.printExit / base[i]!.printExit)), 2), "×");
      report(`wren / ${other.label} -p CPU time to first connection (median ratio)`, fmt(median(wren.map((w, i) => w.printCpu / base[i]!.printCpu)), 2), "×");
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
