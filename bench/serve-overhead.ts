/**
 * What `wren serve` adds to a request it routes to a cloud upstream: the same instant upstream (a
 * local OpenAI-format server answering from a recording at once) called directly and through a
 * proxy-only `wren serve` in front of it, side by side in one run, streamed and not, at 1 and 50
 * concurrent clients. Targets (issue 14): added p50 <= 0.5 ms and p99 <= 2 ms at 1 client; added
 * p50 <= 5 ms at 50; each case prints PASS or MISS against them (a figure, not a test).
 *
 * Laid out as users run it: the wren server in its own process (what `wren serve` starts), the
 * upstream in another, and the load generator (this process) outside both, so the client's and the
 * upstream's work never queues on the server's thread. The direct baseline goes through the same
 * client to the same upstream process at the same concurrency, interleaved with the wren side.
 * The server process's own CPU time per request is printed too: on a busy machine it is the
 * steadier figure. The server runs the built code (dist/, as `npm run bench` builds it), as users
 * do. WREN_BENCH_BASELINE=DIR also runs the wren server of another checkout at DIR (built, its
 * test/helpers/ with a node_modules beside them), interleaved with the rest, so a change is
 * measured before and after in one run. WREN_BENCH_PROFILE=1 runs the 1-client loops through wren only, long, with the
 * server process under `node --cpu-prof` (profiles land in WREN_BENCH_PROFILE_DIR, default cwd);
 * WREN_BENCH_PROFILE=streamed or =non-streamed profiles that one alone, and WREN_BENCH_PROFILE_CLIENTS=N
 * sends the same requests from N concurrent clients (WREN_BENCH_PROFILE_REQUESTS of them, default 5000);
 * WREN_BENCH_PROFILE_FLOOR=1 profiles the floor's process too (into a floor/ folder there), after wren's loops.
 * WREN_BENCH_SERVER_FLAGS="--trace-gc ..." gives the wren server process Node flags of its own, and
 * WREN_BENCH_FLOOR=hono makes the floor a minimal Hono app (the framework wren serve is built on)
 * instead of bare Node: what the framework costs, apart from what wren does on each request.
 */
import { fork, type ChildProcess } from "node:child_process";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Agent, request } from "undici";
import type * as ConfigModule from "../src/config/index.js";
import type * as ServeModule from "../src/runtime/serve.js";
import { fmt, percentile, report } from "./stats.js";

/** Issue 14's targets for the added latency, in ms: p99 is judged at one client only. */
const targets = { one: { p50: 0.5, p99: 2 }, many: { p50: 5, p99: undefined } } as const;

const self = fileURLToPath(import.meta.url);

/** What a child process says over IPC. */
type ChildMessage = { ready: string } | Usage;

/**
 * What a child process has used so far: its CPU time, and its young-generation collections (each
 * one pauses every request in flight: at one client they are the p99 tail) and their total pause.
 */
interface Usage {
  cpuMicros: number;
  youngCollections: number;
  youngPauseMs: number;
}

type Role = "upstream" | "server" | "proxy" | "hono";

interface Child {
  url: string;
  /** CPU time (user + system) and young collections the child has used so far. */
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

/** Forks this file in `role` (the tsx loader comes along in execArgv) and waits for its URL. */
async function startChild(role: Role, args: string[] = [], execArgv: string[] = []): Promise<Child> {
  const child: ChildProcess = fork(self, [role, ...args], { execArgv: [...process.execArgv, ...execArgv], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const nextMessage = (): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`The bench's ${role} process exited (${code}) before answering.`));
      child.once("exit", onExit);
      child.once("message", (m) => {
        child.off("exit", onExit);
        resolve(m as ChildMessage);
      });
    });
  const ready = await nextMessage();
  if (!("ready" in ready)) throw new Error(`The bench's ${role} process sent ${JSON.stringify(ready)} first.`);
  return {
    url: ready.ready,
    async usage() {
      const answer = nextMessage();
      child.send("cpu");
      const m = await answer;
      if (!("cpuMicros" in m)) throw new Error(`The bench's ${role} process sent ${JSON.stringify(m)} for its CPU time.`);
      return m;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send("close");
      await exited;
    },
  };
}

/**
 * The floor any server hop has on this machine, for reference: a bare Node HTTP server that parses
 * the JSON body, sends it on with undici's Agent (as wren's OpenAI provider does) and pipes the
 * answer back. No routing, no validation, no translation.
 */
async function startProxy(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const http = await import("node:http");
  const origin = new URL(upstream).origin;
  const agent = new Agent({ connections: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        const answer = await agent.request({ origin, path: "/v1/chat/completions", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, model: "gpt-4o-mini" }) });
        res.writeHead(answer.statusCode, { "content-type": String(answer.headers["content-type"]) });
        for await (const chunk of answer.body) res.write(chunk);
        res.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The reference proxy has no port.");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };
}

/**
 * The same hop as {@link startProxy}, made with the HTTP framework wren serve is built on (Hono on
 * @hono/node-server) instead of bare Node: WREN_BENCH_FLOOR=hono puts it in the bare proxy's place,
 * to tell what the framework costs from what wren's own request path does.
 */
async function startHonoProxy(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { Hono } = await import("hono");
  const { serve } = await import("@hono/node-server");
  const origin = new URL(upstream).origin;
  const agent = new Agent({ connections: 64 });
  const app = new Hono();
  app.post("/v1/chat/completions", async (c) => {
    const body = await c.req.json<Record<string, unknown>>();
    const answer = await agent.request({ origin, path: "/v1/chat/completions", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, model: "gpt-4o-mini" }) });
    return c.body(await answer.body.text(), answer.statusCode as 200, { "content-type": String(answer.headers["content-type"]) });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The reference Hono proxy has no port.");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };
}

/** Runs in a child process: the upstream, the wren server or the reference proxy, answering "cpu" and "close" over IPC. */
async function runChild(role: Role, args: string[]): Promise<void> {
  let close: () => Promise<void>;
  let url: string;
  if (role === "proxy") {
    ({ url, close } = await startProxy(args[0] ?? ""));
  } else if (role === "hono") {
    ({ url, close } = await startHonoProxy(args[0] ?? ""));
  } else if (role === "upstream") {
    const { startFakeUpstream } = await import("../test/helpers/fake-upstreams/index.js");
    const upstream = await startFakeUpstream("openai");
    url = upstream.url;
    close = () => upstream.close();
  } else {
    // args[1]: the root of another checkout to run instead of this one (WREN_BENCH_BASELINE).
    const root = args[1] === undefined ? path.dirname(path.dirname(self)) : args[1];
    const load = async (file: string): Promise<unknown> => (await import(pathToFileURL(path.join(root, file)).href)) as unknown;
    // The built code (`npm run bench` builds first), as `wren serve` runs it: the TypeScript sources
    // through tsx carry its transform's helpers (a defineProperty per function made), which cost
    // the server CPU on every request that users never pay.
    const { defaultConfig } = (await load("dist/config/index.js")) as typeof ConfigModule;
    const { startServer } = (await load("dist/runtime/serve.js")) as typeof ServeModule;
    const config = defaultConfig({ env: {} }, {
      router: { cloud: "allow", proxyOnly: true, healthIntervalMs: 0, teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${args[0]}/v1`, cloud: true } } },
    });
    // As `wren serve` runs it: every decision is also appended to the decisions file `wren router log` reads.
    const stateDir = await mkdtemp(path.join(tmpdir(), "wren-bench-serve-"));
    const server = await startServer({ models: [], port: 0, router: config.router, env: { OPENAI_API_KEY: "sk-bench" }, decisionsFile: path.join(stateDir, "router-decisions.jsonl") });
    url = server.url;
    close = async () => {
      await server.close();
      await rm(stateDir, { recursive: true, force: true });
    };
  }
  const gc = { youngCollections: 0, youngPauseMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      gc.youngCollections += 1;
      gc.youngPauseMs += entry.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  process.on("message", (m) => {
    if (m === "cpu") {
      const used = process.cpuUsage();
      process.send?.({ cpuMicros: used.user + used.system, ...gc } satisfies Usage);
    } else if (m === "close") {
      // process.exit (not a return) so that --cpu-prof writes its profile.
      void close().finally(() => process.exit(0));
    }
  });
  process.send?.({ ready: url });
}

interface Target {
  url: string;
  model: string;
}

/** One client connection pool per side, kept alive, with a socket per concurrent client. */
const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });

async function once(target: Target, stream: boolean): Promise<number> {
  const start = performance.now();
  const res = await request(`${target.url}/v1/chat/completions`, {
    method: "POST",
    dispatcher: agent,
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
    body: JSON.stringify({ model: target.model, messages: [{ role: "user", content: "Hi" }], stream }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200 || !text.includes("Hello")) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  return performance.now() - start;
}

/** Latencies in ms of `clients` concurrent loops of `perClient` requests each. */
async function measure(target: Target, stream: boolean, clients: number, perClient: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) times.push(await once(target, stream));
    }),
  );
  return times;
}

/** One side's latencies over a run, and its server process's CPU time per request (none for direct calls). */
interface Side {
  name: string;
  target: Target;
  child?: Child;
  times: number[];
  cpuMs: number;
  youngCollections: number;
  youngPauseMs: number;
}

async function measureSide(side: Side, stream: boolean, clients: number, perClient: number): Promise<void> {
  const before = await side.child?.usage();
  side.times.push(...(await measure(side.target, stream, clients, perClient)));
  const after = await side.child?.usage();
  if (!before || !after) return;
  side.cpuMs += (after.cpuMicros - before.cpuMicros) / 1000;
  side.youngCollections += after.youngCollections - before.youngCollections;
  side.youngPauseMs += after.youngPauseMs - before.youngPauseMs;
}

function verdictOf(added: { p50: number; p99: number }, clients: number): string {
  const target = targets[clients === 1 ? "one" : "many"];
  const verdict = added.p50 <= target.p50 && (target.p99 === undefined || added.p99 <= target.p99) ? "PASS" : "MISS";
  const goal = target.p99 === undefined ? `target p50 <= ${target.p50}` : `target <= ${target.p50} / ${target.p99}`;
  return `${fmt(added.p50, 3)} / ${fmt(added.p99, 3)} ms  ${verdict} (${goal})`;
}

/** A side's figures over one case: latency percentiles and its server's CPU time per request. */
function statOf(side: Side): Stat {
  return {
    p50: percentile(side.times, 50),
    p99: percentile(side.times, 99),
    cpu: side.cpuMs / side.times.length,
    youngPer1000: (1000 * side.youngCollections) / side.times.length,
    youngPauseMs: side.youngCollections ? side.youngPauseMs / side.youngCollections : 0,
  };
}

export async function benchServeOverhead(): Promise<void> {
  const profile = process.env["WREN_BENCH_PROFILE"];
  const profileDir = process.env["WREN_BENCH_PROFILE_DIR"] ?? process.cwd();
  // Another checkout of wren (its src/ and test/helpers/, with node_modules), measured beside this one: before and after in one run.
  const baselineDir = process.env["WREN_BENCH_BASELINE"];
  const upstream = await startChild("upstream");
  // WREN_BENCH_SERVER_FLAGS: Node flags for the wren server process alone (e.g. --trace-gc), space-separated.
  const serverFlags = (process.env["WREN_BENCH_SERVER_FLAGS"] ?? "").split(" ").filter(Boolean);
  const server = await startChild("server", [upstream.url], [...serverFlags, ...(profile !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])]);
  const baseline = baselineDir && profile === undefined ? await startChild("server", [upstream.url, path.resolve(baselineDir)]) : undefined;
  // WREN_BENCH_FLOOR=hono: the floor is the same hop made with Hono (see startHonoProxy), not bare Node.
  const honoFloor = process.env["WREN_BENCH_FLOOR"] === "hono";
  const floorName = honoFloor ? "a minimal Hono proxy" : "a bare Node proxy";
  // WREN_BENCH_PROFILE_FLOOR=1: the floor's process is profiled too, through the same loops, to compare the two profiles.
  const profileFloor = profile !== undefined && process.env["WREN_BENCH_PROFILE_FLOOR"] === "1";
  const proxy = await startChild(honoFloor ? "hono" : "proxy", [upstream.url], profileFloor ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, "floor")}`] : []);
  const direct: Target = { url: upstream.url, model: "gpt-4o-mini" };
  const wren: Target = { url: server.url, model: "auto" };
  const before: Target | undefined = baseline ? { url: baseline.url, model: "auto" } : undefined;
  const floor: Target = { url: proxy.url, model: "auto" };
  try {
    if (profile !== undefined) {
      // WREN_BENCH_PROFILE_CLIENTS=50: the same number of requests from that many concurrent clients.
      const clients = Number(process.env["WREN_BENCH_PROFILE_CLIENTS"] ?? 1);
      const requests = Number(process.env["WREN_BENCH_PROFILE_REQUESTS"] ?? 5000);
      if (profile !== "streamed") await measure(wren, false, clients, Math.ceil(requests / clients));
      if (profile !== "non-streamed") await measure(wren, true, clients, Math.ceil(requests / clients));
      if (profileFloor) {
        if (profile !== "streamed") await measure(floor, false, clients, Math.ceil(requests / clients));
        if (profile !== "non-streamed") await measure(floor, true, clients, Math.ceil(requests / clients));
      }
      return;
    }
    // The figures depend on the Node release: on Node 20, every AbortSignal a request makes (and
    // what it holds) outlives a young-generation collection and is promoted, so wren's collections
    // there copy far more than on Node 22 and later, which promote none of them.
    report("Node.js of every process", process.version);
    // Warm-up, of both kinds before either is measured: JIT in every process (the code the two
    // share too), keep-alive sockets on every hop.
    for (const stream of [false, true]) for (const target of [direct, wren, ...(before ? [before] : []), floor]) await measure(target, stream, 10, 300);
    for (const stream of [false, true]) {
      const label = stream ? "streamed" : "non-streamed";
      for (const [clients, perClient] of [
        [1, 2000],
        [50, 40],
      ] as const) {
        const d: Side = { name: "direct", target: direct, times: [], cpuMs: 0, youngCollections: 0, youngPauseMs: 0 };
        const w: Side = { name: "through wren serve", target: wren, child: server, times: [], cpuMs: 0, youngCollections: 0, youngPauseMs: 0 };
        const b: Side | undefined = before && baseline ? { name: `through the baseline wren serve`, target: before, child: baseline, times: [], cpuMs: 0, youngCollections: 0, youngPauseMs: 0 } : undefined;
        const f: Side = { name: `through ${floorName}`, target: floor, child: proxy, times: [], cpuMs: 0, youngCollections: 0, youngPauseMs: 0 };
        const sides = [d, w, ...(b ? [b] : []), f];
        // Interleaved eighths, each in a rotated order, so a burst of load on the machine, and going
        // first or last, land on every side alike.
        for (let part = 0; part < 8; part++) {
          for (let i = 0; i < sides.length; i++) await measureSide(sides[(part + i) % sides.length]!, stream, clients, perClient / 8);
        }
        const name = `${label}, ${clients} client${clients > 1 ? "s" : ""}`;
        for (const side of sides) {
          const stat = statOf(side);
          report(`${name}: ${side.name} p50 / p99`, `${fmt(stat.p50, 3)} / ${fmt(stat.p99, 3)}`, "ms");
        }
        const [ds, ws, fs] = [statOf(d), statOf(w), statOf(f)];
        const added = (s: Stat) => ({ p50: s.p50 - ds.p50, p99: s.p99 - ds.p99 });
        report(`${name}: wren / direct p50 / p99`, `${fmt(ws.p50 / ds.p50, 2)}x / ${fmt(ws.p99 / ds.p99, 2)}x`);
        report(`${name}: wren serve adds p50 / p99`, verdictOf(added(ws), clients));
        if (b) report(`${name}: the baseline wren serve adds p50 / p99`, verdictOf(added(statOf(b)), clients));
        // What any hop costs here: a target the bare proxy misses too is out of this machine's reach.
        const floorAdded = added(fs);
        report(`${name}: ${floorName} adds p50 / p99`, verdictOf(floorAdded, clients));
        const target = targets[clients === 1 ? "one" : "many"];
        if (floorAdded.p50 > target.p50) {
          report(
            `${name}: floor`,
            `${floorName} misses p50 <= ${target.p50} ms here too (it adds ${fmt(floorAdded.p50, 3)} ms): no server meets this on this machine; wren adds ${fmt(ws.p50 - fs.p50, 3)} ms p50 over that floor`,
          );
        }
        // CPU time holds on a loaded machine where latencies do not: each server's own work per request.
        const cpus = [ws, ...(b ? [statOf(b)] : []), fs].map((s) => fmt(s.cpu, 3)).join(" / ");
        report(`${name}: CPU per request, wren serve${b ? " / baseline" : ""} / ${floorName}`, `${cpus} ms (${fmt(ws.cpu / fs.cpu, 2)}x the proxy)`);
        // The one-client p99 tail: a request that meets a young collection waits out its pause.
        const young = [ws, ...(b ? [statOf(b)] : []), fs].map((s) => `${fmt(s.youngPer1000, 1)} x ${fmt(s.youngPauseMs, 2)} ms`).join(" / ");
        report(`${name}: young collections per 1000 requests x mean pause, wren serve${b ? " / baseline" : ""} / ${floorName}`, young);
      }
    }
  } finally {
    await server.close();
    await baseline?.close();
    await proxy.close();
    await upstream.close();
    await agent.close();
  }
}

interface Stat {
  p50: number;
  p99: number;
  cpu: number;
  /** Young-generation collections per 1000 requests, and their mean pause in ms. */
  youngPer1000: number;
  youngPauseMs: number;
}

const [role, ...roleArgs] = process.argv.slice(2);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  if (role === "upstream" || role === "server" || role === "proxy" || role === "hono") await runChild(role, roleArgs);
  else await benchServeOverhead();
}
