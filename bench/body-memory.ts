/**
 * What many large request bodies at once cost wren serve in memory, with its bound on bodies in
 * flight (`server.maxBodyBytesInFlight`, default 32 MiB) and without it (the bound set past what
 * the run sends), side by side in one run: 48 concurrent 6 MB bodies of 200,000 one-word messages
 * (about 20 times their size each once parsed and translated) to a proxy-only wren serve over an
 * instant upstream. Prints each server's peak RSS and how long the burst took. Each server runs in
 * its own process, from the built code (dist/), as `wren serve` does.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { request } from "undici";
import type * as ConfigModule from "../src/config/index.js";
import type * as ServeModule from "../src/runtime/serve.js";
import { fmt, report } from "./stats.js";

const self = fileURLToPath(import.meta.url);
const root = path.dirname(path.dirname(self));
const CLIENTS = 48;

interface Child {
  url: string;
  /** The child's peak RSS so far, in MB, sampled every 5 ms. */
  peakMb(): Promise<number>;
  close(): Promise<void>;
}

async function startChild(args: string[]): Promise<Child> {
  const child: ChildProcess = fork(self, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`The bench's ${args[0]} process exited (${code}).`));
      child.once("exit", onExit);
      child.once("message", (m) => {
        child.off("exit", onExit);
        resolve(m);
      });
    });
  const { ready } = (await next()) as { ready: string };
  return {
    url: ready,
    async peakMb() {
      const answer = next();
      child.send("peak");
      return ((await answer) as { peakMb: number }).peakMb;
    },
    async close() {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send("close");
      await exited;
    },
  };
}

/** In a child: the upstream, or a proxy-only wren serve in front of `upstream` with the given bound. */
async function runChild(role: string, upstream: string | undefined, inFlight: string | undefined): Promise<void> {
  let url: string;
  let close: () => Promise<void>;
  if (role === "upstream") {
    const { startFakeUpstream } = await import("../test/helpers/fake-upstreams/index.js");
    const u = await startFakeUpstream("openai");
    ({ url } = u);
    close = () => u.close();
  } else {
    const load = async (file: string): Promise<unknown> => (await import(pathToFileURL(path.join(root, file)).href)) as unknown;
    const { defaultConfig } = (await load("dist/config/index.js")) as typeof ConfigModule;
    const { startServer } = (await load("dist/runtime/serve.js")) as typeof ServeModule;
    const config = defaultConfig({ env: {} }, {
      router: { cloud: "allow", proxyOnly: true, healthIntervalMs: 0, teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${upstream}/v1`, cloud: true } } },
    });
    const server = await startServer({ models: [], port: 0, router: config.router, env: { OPENAI_API_KEY: "sk-bench" }, maxBodyBytes: 16 * 1024 * 1024, ...(inFlight ? { maxBodyBytesInFlight: Number(inFlight) } : {}) });
    url = server.url;
    close = () => server.close();
  }
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  process.on("message", (m) => {
    if (m === "peak") process.send?.({ peakMb: Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024 });
    else if (m === "close") {
      clearInterval(sample);
      void close().finally(() => process.exit(0));
    }
  });
  process.send?.({ ready: url });
}

async function burst(url: string, body: string): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const res = await request(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    }),
  );
  return performance.now() - start;
}

export async function benchBodyMemory(): Promise<void> {
  const upstream = await startChild(["upstream"]);
  const body = JSON.stringify({ model: "auto", messages: new Array(200_000).fill({ role: "user", content: "a" }) });
  const sides = [
    { name: "bounded (32 MiB, the default)", child: await startChild(["server", upstream.url]) },
    { name: "unbounded", child: await startChild(["server", upstream.url, String(2 ** 40)]) },
  ];
  try {
    const idle = await Promise.all(sides.map((s) => s.child.peakMb()));
    for (const [i, side] of sides.entries()) {
      const ms = await burst(side.child.url, body);
      report(`${CLIENTS} concurrent ${fmt(body.length / 1e6, 1)} MB bodies, ${side.name}: peak RSS / took`, `${fmt(await side.child.peakMb(), 0)} MB (idle ${fmt(idle[i]!, 0)} MB) / ${fmt(ms / 1000, 1)} s`);
    }
  } finally {
    for (const side of sides) await side.child.close();
    await upstream.close();
  }
}

const [role, upstreamArg, inFlightArg] = process.argv.slice(2);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  if (role === "upstream" || role === "server") await runChild(role, upstreamArg, inFlightArg);
  else await benchBodyMemory();
}
