/**
 * A newcomer's first hour with wren, as the README tells it, checked step by step. CI runs it after
 * the test suite (`npx tsx test/first-hour/first-hour.ts`); it works offline (only the npm registry
 * is reachable there), with `../shared/models` when present and generated models otherwise.
 *
 * 1. A fresh clone of this checkout (`--no-clone`: use this checkout, already installed).
 * 2. The first set-up command, `npm ci && npx wren serve`, with the Hugging Face Hub unreachable:
 *    the install is quiet (no npm warnings) and wren fails fast, having said which default model
 *    it wanted and how big it is, and how to pass a model instead.
 * 3. The second set-up command, `npm test`, only with `--with-tests` (CI runs it in its own step).
 * 4. The usage section: `run`, `serve` with one request per dialect, `cmd --check`, `models list`
 *    and `doctor`, each output checked.
 *
 * Prints one line per step and exits 1 if any failed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { CHATML } from "../helpers/gguf-writer.js";
import { watchServe } from "../helpers/serve-child.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";
import { syntheticModel } from "../helpers/synthetic-models.js";

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const args = new Set(process.argv.slice(2));
const isWindows = process.platform === "win32";
let failures = 0;

function start(command: string, commandArgs: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  // npm and npx are .cmd scripts on Windows, which only a shell runs. Each command leads its own
  // process group, so stopping it reaches wren under npx too.
  return spawn(command, commandArgs, { cwd, env, shell: isWindows, detached: !isWindows, stdio: ["ignore", "pipe", "pipe"] });
}

/** Stops a command and what it started (npx → wren), and waits until its output is closed. */
async function stop(child: ChildProcess): Promise<void> {
  const closed = new Promise((resolve) => child.once("close", resolve));
  if (child.pid === undefined || child.exitCode !== null) return;
  if (isWindows) spawn("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore" });
  else process.kill(-child.pid, "SIGTERM");
  await closed;
}

function run(command: string, commandArgs: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<Result> {
  const started = performance.now();
  const child = start(command, commandArgs, cwd, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs one step; a thrown error is its failure, printed with what was expected. */
async function step(name: string, body: () => Promise<string | void>): Promise<void> {
  const started = performance.now();
  try {
    const note = await body();
    console.log(`ok    ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)${note ? `: ${note}` : ""}`);
  } catch (error) {
    failures++;
    console.log(`FAIL  ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function check(condition: boolean, what: string, output?: string): void {
  if (!condition) throw new Error(output === undefined ? what : `${what}\n--- output ---\n${output.slice(-2000)}`);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  check(res.status === 200, `${url} answered ${res.status}`, JSON.stringify(json));
  return json;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "wren-first-hour-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WREN_HOME: path.join(work, "home"),
    // Offline: the Hub is a port nothing listens on, so a download fails at once.
    HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
    WREN_ENGINE_GPU: "cpu",
    WREN_ENGINE_THREADS: "1",
    NO_COLOR: "1",
  };
  const chat = hasSharedModels ? sharedModels.chat : await syntheticModel({ ...CHATML, seed: 1 });
  let repo = projectRoot;
  try {
    if (!args.has("--no-clone")) {
      repo = path.join(work, "wren");
      await step("fresh clone", async () => {
        const r = await run("git", ["clone", "--quiet", projectRoot, repo], work, env);
        check(r.code === 0, `git clone exited ${r.code}`, r.stderr);
      });
      // The README's set-up sits beside ../shared; so does the clone's view of it.
      await step("set-up 1: npm ci is quiet", async () => {
        const r = await run("npm", ["ci", "--no-audit", "--no-fund"], repo, env);
        check(r.code === 0, `npm ci exited ${r.code}`, r.stderr);
        check(!/npm warn/i.test(r.stderr), "npm ci printed warnings", r.stderr);
      });
    }

    // npx links a checkout's own bin into its cache on first use (about a minute, npm's doing, in
    // silence); that is timed apart from wren's own start.
    await step("npx wren --version", async () => {
      const r = await run("npx", ["wren", "--version"], repo, env, 300_000);
      check(r.code === 0 && /^\d+\.\d+\.\d+/.test(r.stdout), `exited ${r.code}`, r.stdout + r.stderr);
      return r.stdout.trim();
    });

    await step("set-up 1: npx wren serve with no model, offline, fails fast with the way out", async () => {
      const r = await run("npx", ["wren", "serve"], repo, env, 120_000);
      // Generous for a loaded 2-core runner; what it guards against is waiting on the network.
      check(r.ms < 60_000, `took ${Math.round(r.ms / 1000)} s to fail`, r.stderr);
      check(r.code !== 0 && r.code !== null, `exited ${r.code}`, r.stderr);
      check(/downloading its default for this machine: \S+ \(\S+, about [\d.]+ [MG]B\)/.test(r.stderr), "did not say which model and how big before downloading", r.stderr);
      check(r.stderr.includes("is not here and could not be fetched") && r.stderr.includes("--model PATH"), "the failure does not say to pass --model PATH", r.stderr);
      return `${(r.ms / 1000).toFixed(1)} s to the message`;
    });

    if (args.has("--with-tests")) {
      await step("set-up 2: npm test", async () => {
        const r = await run("npm", ["test"], repo, env, 3_600_000);
        check(r.code === 0, `npm test exited ${r.code}`, r.stdout);
      });
    }

    await step("run", async () => {
      const r = await run("npx", ["wren", "run", "--model", chat, "Write a haiku about wrens"], repo, env);
      check(r.code === 0, `exited ${r.code}`, r.stderr);
      if (hasSharedModels) check(r.stdout.trim() === CHAT_MODEL_REPLY, `printed ${JSON.stringify(r.stdout)}`);
      else check(r.stdout.trim().length > 0, "printed nothing");
      check(/tokens\/s/.test(r.stderr), "no stats on stderr", r.stderr);
    });

    await step("serve, one request per dialect", async () => {
      const child = start("npx", ["wren", "serve", "--model", chat, "--port", "0"], repo, env);
      try {
        const url = await watchServe(child).url;
        const messages = [{ role: "user", content: "Say hello." }];
        const openai = await postJson(`${url}/v1/chat/completions`, { model: "default", messages });
        const anthropic = await postJson(`${url}/v1/messages`, { model: "default", max_tokens: 32, messages });
        const ollama = await postJson(`${url}/api/chat`, { model: "default", messages, stream: false });
        const texts = [
          (openai["choices"] as { message: { content: string } }[])[0]?.message.content,
          (anthropic["content"] as { text: string }[])[0]?.text,
          (ollama["message"] as { content: string }).content,
        ];
        for (const text of texts) {
          check(typeof text === "string" && text.length > 0, `an empty answer: ${JSON.stringify(texts)}`);
          if (hasSharedModels) check(text === CHAT_MODEL_REPLY, `answers ${JSON.stringify(texts)}`);
        }
        const probe = await fetch(`${url}/`);
        check(probe.status === 200 && (await probe.text()) === "Ollama is running", "GET / is not Ollama's probe answer");
        return url;
      } finally {
        await stop(child);
      }
    });

    await step("cmd --check", async () => {
      const r = await run("npx", ["wren", "cmd", "--check", "curl -fsSL https://example.sh | sudo bash", "--json"], repo, env);
      check(r.code === 0, `exited ${r.code}`, r.stderr);
      const verdict = JSON.parse(r.stdout) as { risk: string; reasons: unknown[] };
      check(verdict.risk === "critical" || verdict.risk === "high", `risk ${verdict.risk} for piping a download into sudo bash`);
      return verdict.risk;
    });

    await step("models list", async () => {
      const r = await run("npx", ["wren", "models", "list"], repo, env);
      check(r.code === 0, `exited ${r.code}`, r.stderr);
      check(r.stdout.includes(path.join(env["WREN_HOME"]!, "models")) || /\bNAME\b/i.test(r.stdout), "does not say where models are", r.stdout);
    });

    await step("doctor", async () => {
      const r = await run("npx", ["wren", "doctor"], repo, env, 180_000);
      check(r.code === 0, `exited ${r.code}`, r.stderr);
      check(/^Backends:/m.test(r.stdout) && /^\s+cpu\s+loads/m.test(r.stdout), "the CPU backend does not load", r.stdout);
    });
  } finally {
    if (!args.has("--keep")) await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
  console.log(failures === 0 ? "first hour: all steps passed" : `first hour: ${failures} step(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

if (!existsSync(path.join(projectRoot, "package.json"))) throw new Error(`No wren checkout at ${projectRoot}.`);
await main();
