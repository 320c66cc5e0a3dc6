import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { identityProof } from "../../src/runtime/daemon-identity.js";
import { cliPath, runCli, spawnCli, type CliResult } from "../helpers/cli.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { writeFakeOllamaStore } from "../helpers/fake-ollama-store.js";
import { withFileLock } from "../../src/models/file-lock.js";
import { writeCorruptGguf, writeTruncatedGguf, type GgufCorruption } from "../helpers/gguf-corrupt.js";
import { hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

const STORIES_REF = "hf:wren-test/stories260K-GGUF:F32";
const STORIES_SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

/** Runs `wren ARGS` inside a pseudo-terminal (python3's pty module), returning what the terminal showed. */
async function runInPty(args: readonly string[], env: Record<string, string>): Promise<string> {
  const script = [
    "import os, pty, sys",
    "pid, fd = pty.fork()",
    "if pid == 0:",
    "    os.execvpe(sys.argv[1], sys.argv[1:], os.environ)",
    "out = b''",
    "while True:",
    "    try:",
    "        data = os.read(fd, 4096)",
    "    except OSError:",
    "        break",
    "    if not data:",
    "        break",
    "    out += data",
    "_, status = os.waitpid(pid, 0)",
    "sys.stdout.buffer.write(out)",
    "sys.exit(os.waitstatus_to_exitcode(status))",
  ].join("\n");
  const { stdout } = await promisify(execFile)("python3", ["-c", script, process.execPath, cliPath, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return stdout;
}

describe.runIf(hasSharedModels)("wren pull / models / doctor (child processes)", () => {
  let hub: FakeHub;
  let env: Record<string, string | undefined>;
  let modelsDir: string;

  beforeAll(async () => {
    hub = await startFakeHub({
      token: "hf_secret",
      repos: {
        "wren-test/stories260K-GGUF": { files: [{ path: "stories260K-F32.gguf", source: sharedModels.stories }] },
        "wren-test/gated-GGUF": { gated: true, files: [{ path: "gated-Q8_0.gguf", source: sharedModels.chat }] },
      },
    });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-cli-home-"));
    modelsDir = path.join(home, "wren", "models");
    env = {
      HOME: home,
      WREN_HOME: path.join(home, "wren"),
      WREN_MODELS_DIR: undefined,
      HF_ENDPOINT: hub.url,
      HF_TOKEN: undefined,
      HUGGING_FACE_HUB_TOKEN: undefined,
      OLLAMA_MODELS: undefined,
      // Nothing listens here: no real Ollama server leaks into the listing.
      OLLAMA_HOST: "127.0.0.1:9",
    };
    hub.requests.length = 0;
    hub.resetFaults();
  });

  const wren = (args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> => runCli(args, { env: { ...env, ...extra } });

  it("pulls a model, then `wren run` uses it offline", async () => {
    const pulled = await wren(["pull", STORIES_REF]);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(`Pulled ${STORIES_REF}`);
    expect(pulled.stdout).toContain(STORIES_SHA);
    const again = await wren(["pull", STORIES_REF]);
    expect(again.stdout).toContain("already present at revision");
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);
    hub.requests.length = 0;
    const run = await wren(["run", "--model", STORIES_REF, "--offline", "--raw", "-t", "0", "-n", "8", "Once upon a time"]);
    expect(run.stderr).not.toContain("wren:");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("there was a little girl");
    expect(hub.requests).toHaveLength(0);
  });

  it("`wren run` pulls a reference not yet present, with progress, then runs it", async () => {
    const run = await wren(["run", "--model", STORIES_REF, "--raw", "-t", "0", "-n", "8", "Once upon a time"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^stories260K-F32\.gguf: 100% .* done$/m);
    expect(run.stdout).toContain("there was a little girl");
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);
  });

  it("Ctrl-C keeps the partial download for the next pull to resume, and frees the lock", async () => {
    // The Hub sends 300,000 bytes, then holds the connection open until the test is done with it.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    hub.faults.cutAtBytes = 300_000;
    hub.faults.beforeCut = () => held;
    const child = spawnCli(["pull", STORIES_REF], { env });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const partial = path.join(modelsDir, "hf/wren-test/stories260K-GGUF/stories260K-F32.gguf.partial");
    await vi.waitFor(() => expect(existsSync(partial) && statSync(partial).size).toBe(300_000), { timeout: 50_000, interval: 50 });
    child.kill("SIGINT");
    const code = await closed;
    letGo();
    expect(code).toBe(130);
    expect(stderr).toContain("was interrupted");
    expect(stderr).toContain("resumes from where it stopped");
    const kept = statSync(partial).size;
    expect(kept).toBe(300_000);
    expect(readdirSync(path.join(modelsDir, ".locks"))).toEqual([]);
    hub.resetFaults();
    const resumed = await wren(["pull", STORIES_REF]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(STORIES_SHA);
    expect(hub.downloads("stories260K-F32.gguf").at(-1)?.range).toBe(`bytes=${kept}-`);
  });

  const downloadLock = (): string => path.join(modelsDir, ".locks", "hf_wren-test_stories260K-GGUF_stories260K-F32.gguf.lock");
  const manifestLock = (): string => path.join(modelsDir, "manifest.json.lock");

  /** Holds a lock in this (live) process until the returned function is called. */
  async function holdLock(lockPath: string): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    const done = withFileLock(lockPath, async () => {
      taken();
      await released;
    });
    await isTaken;
    return async () => {
      release();
      await done;
    };
  }

  /** Starts `wren pull`, sends `signal` once stderr shows `waitingFor`, and returns how it ended. */
  async function interruptWhileWaiting(waitingFor: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
    const child = spawnCli(["pull", STORIES_REF], { env });
    let stderr = "";
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => {
      child.stderr?.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
        if (stderr.includes(waitingFor)) resolve();
      });
      void closed.then(() => resolve());
    });
    child.kill(signal);
    return { code: await closed, stderr };
  }

  it("Ctrl-C ends a pull waiting on a download lock held by a live process, leaving that lock alone", async () => {
    const release = await holdLock(downloadLock());
    const held = readFileSync(downloadLock(), "utf8");
    try {
      const { code, stderr } = await interruptWhileWaiting(`Another wren process (pid ${process.pid} on ${os.hostname()}) is downloading ${STORIES_REF}`, "SIGINT");
      expect(code).toBe(130);
      expect(stderr).toContain("was interrupted");
      expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(0);
      expect(readFileSync(downloadLock(), "utf8")).toBe(held);
    } finally {
      await release();
    }
  });

  it("SIGTERM ends a pull waiting on the manifest lock after its download", async () => {
    const release = await holdLock(manifestLock());
    try {
      const { code, stderr } = await interruptWhileWaiting("Another wren process is updating the model manifest", "SIGTERM");
      // 128 + SIGTERM's number, as a shell reports a process the signal ended.
      expect(code).toBe(143);
      expect(stderr).toContain("was interrupted");
      expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);
    } finally {
      await release();
    }
    // The file is in place; the next pull records it.
    const again = await wren(["pull", STORIES_REF]);
    expect(again.code).toBe(0);
  });

  it("takes over empty, unreadable and dead-owner download and manifest locks", async () => {
    const past = new Date(Date.now() - 24 * 3600_000);
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    const dead = JSON.stringify({ pid: child.pid, host: os.hostname(), token: "gone", since: past.toISOString() });
    for (const [download, manifest] of [["", ""], ["\u0000garbage", "{"], [dead, dead]] as const) {
      rmSync(modelsDir, { recursive: true, force: true });
      mkdirSync(path.dirname(downloadLock()), { recursive: true });
      writeFileSync(downloadLock(), download);
      writeFileSync(manifestLock(), manifest);
      for (const lock of [downloadLock(), manifestLock()]) utimesSync(lock, past, past);
      const pulled = await wren(["pull", STORIES_REF]);
      expect(pulled.stderr).not.toContain("waiting");
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toContain(`Pulled ${STORIES_REF}`);
      expect(readdirSync(path.join(modelsDir, ".locks"))).toEqual([]);
      expect(existsSync(manifestLock())).toBe(false);
    }
  });

  it("two concurrent pulls download the file once", async () => {
    // The first download is held open until the other pull says it is waiting for it, however the two start.
    const WAITING = /Another wren process \(pid \d+ on [^)]+\) is downloading hf:wren-test\/stories260K-GGUF:F32; waiting for it to finish\./;
    let stderr = "";
    type Ended = Pick<CliResult, "code" | "stdout" | "stderr">;
    const pulls = [0, 1].map(() => {
      const child = spawnCli(["pull", STORIES_REF], { env });
      const result: Ended = { code: null, stdout: "", stderr: "" };
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (result.stdout += d));
      child.stderr?.setEncoding("utf8").on("data", (d: string) => {
        result.stderr += d;
        stderr += d;
      });
      return new Promise<Ended>((resolve) => child.on("close", (code) => resolve({ ...result, code })));
    });
    hub.faults.beforeBody = () => vi.waitFor(() => expect(stderr).toMatch(WAITING), { timeout: 30_000, interval: 20 });
    const [a, b] = (await Promise.all(pulls)) as [Ended, Ended];
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);
    const outputs = [a.stdout, b.stdout].sort();
    expect(outputs.some((o) => o.includes("Pulled"))).toBe(true);
    expect(outputs.some((o) => o.includes("already present"))).toBe(true);
    expect(a.stderr + b.stderr).toMatch(WAITING);
    const manifest = JSON.parse(readFileSync(path.join(modelsDir, "manifest.json"), "utf8")) as { models: unknown[] };
    expect(manifest.models).toHaveLength(1);
  });

  it("shows a progress bar on a terminal and plain lines otherwise", async () => {
    hub.faults.delayMsPerChunk = 40;
    const tty = await runInPty(["pull", STORIES_REF], Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)));
    expect(tty).toContain("\r\u001b[K");
    expect(tty).toMatch(/stories260K-F32\.gguf [█░]{10,} +\d+% .*\/s/);
    expect(tty).toContain("100%");
    expect(tty).toContain("ETA");

    const plainHome = mkdtempSync(path.join(os.tmpdir(), "wren-cli-plain-"));
    const plain = await wren(["pull", STORIES_REF], { WREN_HOME: plainHome });
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain("\r");
    expect(plain.stderr).not.toContain("█");
    const lines = plain.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^stories260K-F32\.gguf: 100% 1\.2 MB\/1\.2 MB .*\/s done$/);
  });

  it("offline with a missing model says what to run and makes no request", async () => {
    const pull = await wren(["pull", "--offline", STORIES_REF]);
    expect(pull.code).toBe(3);
    expect(pull.stderr).toContain(`Run \`wren pull ${STORIES_REF}\` while online`);
    const run = await wren(["run", "--model", STORIES_REF, "--offline", "hello"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`wren pull ${STORIES_REF}`);
    // info and fit never download: a missing model is not blamed on offline mode.
    for (const command of ["info", "fit"]) {
      const info = await wren(["models", command, STORIES_REF]);
      expect(info.code).toBe(3);
      expect(info.stderr).toBe(`wren: ${STORIES_REF} is not downloaded, and \`wren models info\` and \`fit\` read only models already here. Run \`wren pull ${STORIES_REF}\` first.\n`);
      expect(info.stderr).not.toContain("offline");
    }
    expect(hub.requests).toHaveLength(0);
  });

  it("a 401 says how to set a token", async () => {
    const denied = await wren(["pull", "hf:wren-test/gated-GGUF:Q8_0"]);
    expect(denied.code).toBe(4);
    expect(denied.stderr).toContain("needs a token (401)");
    expect(denied.stderr).toContain("HF_TOKEN");
    // The token from config (here its environment layer, models.token) is used when HF_TOKEN is absent.
    const allowed = await wren(["pull", "hf:wren-test/gated-GGUF:Q8_0"], { WREN_MODELS_TOKEN: "hf_secret" });
    expect(allowed.code).toBe(0);
  });

  it("models info shows stories260K's real metadata", async () => {
    const info = await wren(["models", "info", sharedModels.stories, "--context", "512"]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/Architecture:\s+llama/);
    expect(info.stdout).toMatch(/Context length:\s+2048/);
    expect(info.stdout).toMatch(/Quantisation:\s+F32/);
    expect(info.stdout).toMatch(/Tensors:\s+48/);
    expect(info.stdout).toMatch(/Layers:\s+5, embedding 64, heads 8 \(KV 4\)/);
    expect(info.stdout).toMatch(/Vocabulary:\s+512 tokens \(llama\)/);
    expect(info.stdout).toMatch(/Chat template:\s+none/);
    expect(info.stdout).toMatch(/Memory at 512 ctx:\s+\d/);
  });

  it("the fit check refuses a context that cannot fit a --memory-limit and names the largest that can", async () => {
    const refused = await wren(["models", "fit", sharedModels.stories, "--context", "2048", "--memory-limit", "4MB"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("It will not fit");
    expect(refused.stderr).toContain("4.0 MB (--memory-limit)");
    const largest = Number(/largest context that fits is (\d+) tokens/.exec(refused.stderr)?.[1]);
    expect(largest).toBeGreaterThan(256);
    expect(largest).toBeLessThan(2048);
    const accepted = await wren(["models", "fit", sharedModels.stories, "--context", String(largest), "--memory-limit", "4MB"]);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("fits");
    // Past the training context (2048) no load gets the context asked for: it does not fit.
    const beyond = await wren(["models", "fit", sharedModels.stories, "--context", "999999"]);
    expect(beyond.code).toBe(3);
    expect(beyond.stdout).toBe("");
    expect(beyond.stderr).toContain("supports at most 2048 tokens of context, not the 999999 asked for");
  });

  it("lists, removes and prunes stored models; lists an Ollama store's", async () => {
    writeFakeOllamaStore(path.join(env["HOME"] ?? "", ".ollama", "models"), [{ name: "stories", tag: "tiny", source: sharedModels.stories }]);
    expect((await wren(["pull", STORIES_REF])).code).toBe(0);
    expect((await wren(["pull", "hf:wren-test/gated-GGUF:Q8_0"], { HF_TOKEN: "hf_secret" })).code).toBe(0);
    const list = await wren(["models", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+SIZE\s+QUANT\s+FAMILY\s+CONTEXT\s+LAST USED\s+SOURCE$/m);
    expect(list.stdout).toMatch(new RegExp(`^${STORIES_REF}\\s+1\\.2 MB\\s+F32\\s+llama\\s+2048\\s+never\\s+store$`, "m"));
    expect(list.stdout).toMatch(/^stories:tiny\s+1\.2 MB\s+F32\s+llama\s+2048\s+-\s+ollama$/m);
    // Using the gated one makes the stories model the least recently used.
    expect((await wren(["run", "--model", "hf:wren-test/gated-GGUF:Q8_0", "--offline", "-n", "2", "hi"])).code).toBe(0);
    const prune = await wren(["models", "prune", "--max-size", "1MB"]);
    expect(prune.code).toBe(0);
    expect(prune.stdout).toContain(`Removed ${STORIES_REF}`);
    expect(prune.stdout).not.toContain("gated");
    const rm = await wren(["models", "rm", "hf:wren-test/gated-GGUF:Q8_0"]);
    expect(rm.stdout).toContain("Removed hf:wren-test/gated-GGUF:Q8_0");
    const missing = await wren(["models", "rm", "hf:wren-test/gated-GGUF:Q8_0"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("wren models list");
  });

  it("recommends the catalog model that fits the memory, and says when none does", async () => {
    const fits = await wren(["models", "recommend", "--memory-limit", "3GB"]);
    expect(fits.code).toBe(0);
    expect(fits.stdout).toMatch(/^picked llama3\.2-3b: fits in 3\.0 GB/);
    expect(fits.stdout).toContain("wren pull llama3.2-3b");
    const code = await wren(["models", "recommend", "--purpose", "code", "--memory-limit", "2GB"]);
    expect(code.stdout).toMatch(/^picked qwen2\.5-coder-1\.5b: /);
    const listed = await wren(["models", "list", "--catalog"]);
    expect(listed.stdout).toMatch(/^NAME\s+PURPOSE\s+CLASS\s+SIZE\s+CONTEXT\s+LICENCE\s+SOURCE$/m);
    expect(listed.stdout).toMatch(/^nomic-embed-text-v1\.5\s+embedding\s+tiny\s+146 MB\s+2048\s+apache-2\.0\s+nomic-ai\/nomic-embed-text-v1\.5-GGUF\/nomic-embed-text-v1\.5\.Q8_0\.gguf$/m);
    const none = await wren(["models", "recommend", "--memory-limit", "100MB"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("No chat model in the catalog fits in 100 MB (--memory-limit)");
  });

  it("doctor reports the machine, the backends, the models directory and the daemon", async () => {
    const doctor = await wren(["doctor"]);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/^OS: .+/m);
    expect(doctor.stdout).toMatch(new RegExp(`^CPU: .+${os.cpus().length} cores \\(wren uses at most ${os.availableParallelism()} threads\\)`, "m"));
    expect(doctor.stdout).toMatch(/^RAM: .+ total, .+ free$/m);
    expect(doctor.stdout).toMatch(/^ {2}cpu +loads$/m);
    expect(doctor.stdout).toContain(`Models:   ${modelsDir}`);
    expect(doctor.stdout).toMatch(/^Daemon: +not running \(start it with `wren daemon start`\)$/m);

    // A daemon as `wren serve --daemon` records itself: a lock file (pid, token, control port) and a
    // state file in the state dir; its control port proves the token (here the same port as /status).
    const token = "ab".repeat(32);
    const status = http.createServer((req, res) => {
      const challenge = new URL(req.url ?? "/", "http://x").searchParams.get("challenge");
      const body = challenge !== null ? { pid: process.pid, phase: "ready", proof: identityProof(token, challenge) } : { models: [{ id: "m", loaded: true, active: 0, queued: 0 }, { id: "auto", loaded: false, active: 0, queued: 0 }], activeRequests: 0 };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => status.listen(0, "127.0.0.1", resolve));
    const port = (status.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    const stateDir = path.join(env["WREN_HOME"] ?? "", "state");
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, "daemon.pid"), JSON.stringify({ pid: process.pid, token, controlPort: port, startedAt: new Date().toISOString() }));
    writeFileSync(path.join(stateDir, "daemon.json"), JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() }));
    try {
      const running = await wren(["doctor"]);
      expect(running.stdout).toMatch(new RegExp(`^Daemon: +running at ${url} \\(pid ${process.pid}, up \\d+s, 1 model loaded\\)$`, "m"));
    } finally {
      await new Promise<void>((resolve) => status.close(() => resolve()));
    }
  });
});

describe("a corrupt GGUF header is refused in one line, never aborting the process", () => {
  const corruptions: GgufCorruption[] = ["over-long key", "huge string", "huge array", "unknown value type", "tensor count beyond the file"];

  it.each(corruptions)("models info and run exit 3 on a header with %s", async (corruption) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-cli-corrupt-"));
    const file = await writeCorruptGguf(path.join(dir, "bad.gguf"), corruption);
    const env = { WREN_HOME: path.join(dir, "wren"), WREN_ENGINE_GPU: "cpu" };
    const [info, run] = await Promise.all([
      runCli(["models", "info", file], { env }),
      runCli(["run", "--model", file, "--raw", "-n", "4", "hello"], { env }),
    ]);
    for (const result of [info, run]) {
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 3, signal: null });
      expect(result.stderr).toMatch(new RegExp(`^wren: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is (not a valid GGUF file|truncated or damaged): [^\\n]+\\n$`));
      expect(result.stdout).toBe("");
    }
  });

  it("models info and run exit 3 on a file cut short inside its header", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-cli-corrupt-"));
    const file = await writeTruncatedGguf(path.join(dir, "cut.gguf"));
    const env = { WREN_HOME: path.join(dir, "wren"), WREN_ENGINE_GPU: "cpu" };
    for (const args of [["models", "info", file], ["run", "--model", file, "--raw", "hello"]]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^wren: \S+cut\.gguf is truncated: its header goes on past the end of the file[^\n]+\n$/);
    }
  });
});
