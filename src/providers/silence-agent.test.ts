import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { defaultConfig } from "../config/index.js";
import { userText } from "../protocol/index.js";
import { createRequire } from "node:module";
import { nodeFetchTakesAgent } from "../shared/node-fetch.js";
import { SILENCE_MS } from "./silence-agent.js";

/** Node's own pool, as the SDKs' fetch would use it, recording each request sent through it. */
class RecordingAgent extends Agent {
  readonly origins: string[] = [];
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    this.origins.push(String(options.origin));
    return super.dispatch(options, handler);
  }
}

describe("a provider's own silence limit", () => {
  it("is a failsafe past the router's default limits, which decide", () => {
    const { idleMs, nonStreamedMs } = defaultConfig({ env: {} }).router.timeouts;
    expect(SILENCE_MS).toBeGreaterThan(idleMs);
    expect(SILENCE_MS).toBeGreaterThan(nonStreamedMs);
  });
});

describe("whether Node's fetch takes wren's pool", () => {
  it("does on the undici of Node 20, 22 and 24, and not on Node 26's, which refuses an undici 6 Agent (every request would fail)", () => {
    expect(nodeFetchTakesAgent("6.21.2")).toBe(true);
    expect(nodeFetchTakesAgent("7.30.2")).toBe(true);
    expect(nodeFetchTakesAgent("8.12.2")).toBe(false);
    expect(nodeFetchTakesAgent(undefined)).toBe(false);
    expect(nodeFetchTakesAgent(process.versions["undici"])).toBe(Number(process.versions.node.split(".")[0]) < 26);
  });

  it("is judged for the undici wren depends on: another major needs the bounds above measured again", () => {
    const installed = (createRequire(import.meta.url)("undici/package.json") as { version: string }).version;
    expect(installed.split(".")[0]).toBe("6");
  });
});

describe.each(["openai", "anthropic", "gemini", "ollama"] as const)("the %s provider's requests", (dialect) => {
  let upstream: FakeUpstream;
  let nodePool: RecordingAgent;
  let previous: Dispatcher;
  beforeAll(async () => {
    upstream = await startFakeUpstream(dialect);
    // Node's fetch drops a request after 5 minutes without headers: a provider going through its
    // pool would overrule the router's 10 minutes for a non-streamed answer.
    previous = getGlobalDispatcher();
    nodePool = new RecordingAgent();
    setGlobalDispatcher(nodePool);
  });
  afterAll(async () => {
    setGlobalDispatcher(previous);
    await nodePool.close();
    await upstream.close();
  });

  it("go through a connection pool of wren's own, not Node's, streamed or not", async () => {
    const model = providerModelFor(dialect, upstream.url);
    const before = upstream.chatCount;
    const answer = await model.doGenerate({ messages: [userText("Hi")] });
    expect(answer.content).toEqual([{ type: "text", text: "Hello from the cloud." }]);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish" });
    expect(upstream.chatCount - before).toBe(2);
    expect(nodePool.origins).toEqual([]);
  });
});
