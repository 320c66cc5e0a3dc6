import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe, type ServeOutput } from "../helpers/serve-child.js";
import { hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

const probe = pathToFileURL(path.join(projectRoot, "test", "helpers", "resource-probe.mjs")).href;
const REQUESTS = 20_000;
const WORKERS = 8;

interface Measure {
  gc: boolean;
  heapUsed: number;
  pendingTimers: number;
}

function measure(child: ChildProcess): Promise<Measure> {
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as Measure));
    child.once("exit", (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before it could be measured`)));
    child.send("measure");
  });
}

describe.runIf(hasSharedModels)("wren serve keeps no per-request state once a request is done", () => {
  let home: string;
  let child: ChildProcess;
  let url: string;
  let served: ServeOutput;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-resources-"));
    // A heap small enough that 20,000 leaked requests would run it out of memory.
    child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=64", "--import", probe, cliPath, "serve", "--model", sharedModels.chat, "--port", "0"], {
      cwd: projectRoot,
      env: {
        ...process.env,
        WREN_HOME: home,
        WREN_ENGINE_GPU: "cpu",
        WREN_ENGINE_THREADS: "1",
        WREN_ENGINE_CONTEXT_SIZE: "512",
        // The default, said explicitly: every request gets a timeout to own and release.
        WREN_SERVER_REQUEST_TIMEOUT: "600",
        // No line per request on stderr: the test is about memory, not logs.
        WREN_LOGGING_LEVEL: "warn",
        NO_COLOR: "1",
        TEST_RESOURCE_PROBE: "1",
      },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    // Keep only the tail: the server may log every request.
    served = watchServe(child, { pattern: /serving \S+ on (http:\/\/\S+)/, keep: 4000 });
    url = await served.url;
  }, 60_000);

  afterAll(async () => {
    await stopChild(child);
    await rm(home, { recursive: true, force: true });
  });

  /**
   * Request `i` of the mix: mostly health checks and model lists, a tenth each of requests that hold
   * the model for a moment (Ollama's load, Anthropic's count_tokens), answers streamed or not, and
   * refusals (an unknown model, a body that is not JSON).
   */
  async function request(i: number): Promise<number> {
    const post = (route: string, body: object | string) =>
      fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    const model = "synthetic-bigram-chatml";
    const messages = [{ role: "user", content: "hi" }];
    let res: Response;
    if (i % 100 === 0) res = await post("/v1/chat/completions", { model, messages, max_tokens: 2 });
    else if (i % 100 === 50) res = await post("/v1/chat/completions", { model, messages, max_tokens: 2, stream: true });
    else if (i % 10 === 1) res = await post("/api/generate", { model });
    else if (i % 10 === 2) res = await post("/v1/messages/count_tokens", { model, messages });
    else if (i % 10 === 3) res = await post("/v1/chat/completions", { model: "no-such-model", messages });
    else if (i % 10 === 4) res = await post("/api/chat", "{");
    else if (i % 10 <= 6) res = await fetch(`${url}/v1/models`);
    else res = await fetch(`${url}/health`);
    await res.arrayBuffer();
    return res.status;
  }

  async function run(count: number): Promise<Map<number, number>> {
    const statuses = new Map<number, number>();
    let next = 0;
    let failed = false;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < count && !failed) {
          const i = next++;
          const status = await request(i).catch((error: unknown) => {
            failed = true;
            // Most likely the server died (out of memory): say so, with what it printed last.
            const exit = child.exitCode ?? child.signalCode ?? "still running";
            throw new Error(`request ${i} failed (${String(error)}); server: ${exit}; its stderr ends with:\n${served.stderr().slice(-1500)}`);
          });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    return statuses;
  }

  it(`survives ${REQUESTS} requests with a 64 MB heap, with heap and timers flat after them`, async () => {
    await run(400);
    const before = await measure(child);
    expect(before.gc).toBe(true);

    const statuses = await run(REQUESTS);
    expect(child.exitCode).toBeNull();
    expect(statuses.get(200)).toBe((REQUESTS / 10) * 8);
    expect(statuses.get(404)).toBe(REQUESTS / 10);
    expect(statuses.get(400)).toBe(REQUESTS / 10);

    const after = await measure(child);
    // Leaked, each request held a timer and ~2.6 KB for ten minutes: 20,000 timers and ~50 MB.
    expect(after.pendingTimers - before.pendingTimers).toBeLessThan(WORKERS * 2);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 1024 * 1024);
  }, 900_000);
});
