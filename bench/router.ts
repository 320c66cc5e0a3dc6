/**
 * The router's added latency per request: the same instant upstream called directly and through
 * the router (a fallback route with a backup, breaker, timeouts and the decisions log all active),
 * at 1 and 50 concurrent clients. Two upstreams: an in-process model (pure router overhead) and a
 * local OpenAI-format HTTP server answering from a recording (overhead next to a real round trip).
 * With 50 clients on one event loop, per-request latency includes waiting for the other 49, so the
 * requests/s lines say what that latency is made of.
 */
import { startFakeUpstream } from "../test/helpers/fake-upstreams/index.js";
import { ScriptedModel, textAnswer } from "../test/helpers/fake-upstreams/scripted-model.js";
import { userText, type ChatRequest, type LanguageModel } from "../src/protocol/index.js";
import { OpenAICompatibleModel } from "../src/providers/openai-compatible/model.js";
import { Router } from "../src/router/router.js";
import { fmt, percentile, report } from "./stats.js";

const request: ChatRequest = { messages: [userText("Hi")] };

async function drain(model: LanguageModel): Promise<number> {
  const start = performance.now();
  for await (const part of model.doStream(request)) {
    if (part.type === "error") throw new Error(part.error.message);
  }
  return performance.now() - start;
}

async function measure(model: LanguageModel, clients: number, perClient: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) times.push(await drain(model));
    }),
  );
  return times;
}

function routed(model: LanguageModel): Router {
  const backup = new ScriptedModel("backup", "b", [textAnswer("backup")]);
  return new Router({
    targets: [
      { id: `${model.provider}:${model.modelId}`, model, leavesMachine: true, timeouts: { connectMs: 10_000, firstTokenMs: 10_000, idleMs: 10_000 } },
      { id: "backup:b", model: backup, leavesMachine: true },
    ],
    routes: { default: { type: "fallback", targets: [{ type: "target", target: `${model.provider}:${model.modelId}` }, { type: "target", target: "backup:b" }] } },
    consent: { policy: "allow" },
    prices: { "*:*": { input: 1, output: 1 } },
  });
}

async function compare(label: string, upstream: LanguageModel): Promise<void> {
  const router = routed(upstream);
  await measure(upstream, 10, 200); // warm-up: JIT, sockets
  await measure(router, 10, 200);
  for (const [clients, perClient] of [
    [1, 1000],
    [50, 20],
  ] as const) {
    let start = performance.now();
    const direct = await measure(upstream, clients, perClient);
    const directRate = (direct.length / (performance.now() - start)) * 1000;
    start = performance.now();
    const via = await measure(router, clients, perClient);
    const viaRate = (via.length / (performance.now() - start)) * 1000;
    const p50 = [percentile(direct, 50), percentile(via, 50)] as const;
    const p99 = [percentile(direct, 99), percentile(via, 99)] as const;
    report(`${label}, ${clients} client${clients > 1 ? "s" : ""}: direct p50 / p99`, `${fmt(p50[0], 3)} / ${fmt(p99[0], 3)}`, "ms");
    report(`${label}, ${clients} client${clients > 1 ? "s" : ""}: router p50 / p99`, `${fmt(p50[1], 3)} / ${fmt(p99[1], 3)}`, "ms");
    report(`${label}, ${clients} client${clients > 1 ? "s" : ""}: added p50 / p99`, `${fmt(p50[1] - p50[0], 3)} / ${fmt(p99[1] - p99[0], 3)}`, "ms");
    report(`${label}, ${clients} client${clients > 1 ? "s" : ""}: requests/s direct / router`, `${fmt(directRate, 0)} / ${fmt(viaRate, 0)}`);
  }
}

export async function benchRouter(): Promise<void> {
  await compare("in-process upstream", new ScriptedModel("instant", "m", [textAnswer("Hello from the cloud.")]));
  const server = await startFakeUpstream("openai");
  try {
    await compare("HTTP upstream (OpenAI SSE)", new OpenAICompatibleModel({ provider: "fake", modelId: "gpt", baseURL: `${server.url}/v1`, apiKey: "sk" }));
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRouter();
