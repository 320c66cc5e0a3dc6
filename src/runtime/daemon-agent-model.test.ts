import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { refusedUrl, startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { collectStream, resultText, userText, type LanguageModel, type StreamPart } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { createServerApp } from "../server/app.js";
import { serializeError, WrenError } from "../shared/errors.js";
import { DaemonAgentModel, type DaemonConnection } from "./daemon-agent-model.js";
import { servedModelFacts } from "./daemon-model.js";

const request = { messages: [userText("Say hello.")] };
const over = (baseURL: string): DaemonConnection => ({ model: new OpenAICompatibleModel({ provider: "wren", modelId: "qwen", baseURL: `${baseURL}/v1` }), lock: undefined });

describe("the assistant's model through the daemon: a daemon lost before its answer is started again once", () => {
  const upstreams: FakeUpstream[] = [];
  afterEach(async () => {
    for (const u of upstreams.splice(0)) await u.close();
  });
  const upstream = async (): Promise<FakeUpstream> => {
    const u = await startFakeUpstream("openai");
    upstreams.push(u);
    return u;
  };
  /** A model whose n-th connect reaches the n-th address (the daemons there have been). */
  const through = (addresses: string[]) => {
    let connects = 0;
    const model = new DaemonAgentModel({
      modelId: "auto",
      session: { id: "s1" },
      connect: () => Promise.resolve(over(addresses[Math.min(connects++, addresses.length - 1)]!)),
    });
    return { model, connects: () => connects };
  };

  it("retries on a daemon that refuses the connection, reaching the new one, and reuses it for the next request", async () => {
    const live = await upstream();
    const { model, connects } = through([await refusedUrl(), live.url]);
    expect(resultText(await collectStream(model.doStream(request)))).toBe("Hello from the cloud.");
    expect(connects()).toBe(2);
    expect(model.modelId).toBe("qwen");
    expect(resultText(await collectStream(model.doStream(request)))).toBe("Hello from the cloud.");
    expect(connects()).toBe(2);
    expect(live.chatCount).toBe(2);
  });

  it("retries when the connection is cut before the answer began", async () => {
    const dying = await upstream();
    dying.fail({ kind: "cut", afterEvents: 0 });
    const live = await upstream();
    const { model } = through([dying.url, live.url]);
    expect(resultText(await collectStream(model.doStream(request)))).toBe("Hello from the cloud.");
    expect(dying.chatCount).toBe(1);
    expect(live.chatCount).toBe(1);
  });

  it("fails the turn with a clear error when the restarted daemon is lost too", async () => {
    const { model, connects } = through([await refusedUrl(), await refusedUrl()]);
    const error = await collectStream(model.doStream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/stopped answering again .*after it was restarted for this turn/);
    expect((error as WrenError).hint).toMatch(/wren daemon logs.*--no-daemon/);
    expect(connects()).toBe(2);
  });

  it("retries a daemon lost after it said the prompt's tokens: that is no part of the answer", async () => {
    const live = await upstream();
    // A daemon that took the request and counted its prompt (input-usage), then died before its first token.
    const dying: LanguageModel = {
      provider: "wren",
      modelId: "qwen",
      doGenerate: () => Promise.reject(new Error("not used")),
      async *doStream() {
        yield { type: "stream-start", provider: "wren", modelId: "qwen" };
        yield { type: "input-usage", usage: { inputTokens: 9 } };
        yield { type: "error", error: serializeError(new WrenError("network_error", "socket hang up")) };
      },
    };
    let connects = 0;
    const model = new DaemonAgentModel({ modelId: "auto", session: { id: "s1" }, connect: () => Promise.resolve(connects++ === 0 ? { model: dying, lock: undefined } : over(live.url)) });
    expect(resultText(await collectStream(model.doStream(request)))).toBe("Hello from the cloud.");
    expect(connects).toBe(2);
    expect(live.chatCount).toBe(1);
  });

  it("does not retry once part of the answer was streamed: the turn fails, saying so", async () => {
    const dying = await upstream();
    dying.fail({ kind: "cut", afterEvents: 2 });
    const live = await upstream();
    const { model } = through([dying.url, live.url]);
    const parts: StreamPart[] = [];
    for await (const part of model.doStream(request)) parts.push(part);
    expect(parts.some((p) => p.type === "text-delta")).toBe(true);
    const last = parts.at(-1);
    expect(last).toMatchObject({ type: "error", error: { code: "network_error" } });
    expect(last?.type === "error" && last.error.message).toMatch(/in the middle of its answer/);
    expect(live.chatCount).toBe(0);
  });

  it("passes the daemon's tool calls through to this process, and carries the provenance the daemon reports", async () => {
    const host = new ScriptedHost(new Map([["qwen", new ScriptedModel("qwen", (req) => (req.tools?.length ? { toolCalls: [{ name: "Read", input: '{"path":"a.ts"}' }] } : { text: "Done." }))]]));
    const { app } = createServerApp({ host });
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    try {
      const { model } = through([`http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
      const tools = [{ name: "Read", inputSchema: { type: "object", properties: { path: { type: "string" } } } }];
      const result = await collectStream(model.doStream({ ...request, tools }));
      expect(result.content).toEqual([expect.objectContaining({ type: "tool-call", toolName: "Read", input: { path: "a.ts" } })]);
      expect(result.provenance).toEqual({ provider: "local", model: "qwen", reason: "direct", route: "direct" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("says the context of the daemon's model, as its /api/show reports it, once the daemon is reached", async () => {
    const host = new ScriptedHost(new Map([["qwen", new ScriptedModel("qwen", () => ({ text: "Done." }))]]));
    const { app } = createServerApp({ host });
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const facts = await servedModelFacts(url, "qwen");
      expect(facts).toEqual({ chatTemplate: true, contextLength: host.resolve("qwen")?.contextLength });
      expect(facts.contextLength).toBe(2048);
      const model = new DaemonAgentModel({ modelId: "auto", session: { id: "s1" }, connect: () => Promise.resolve({ ...over(url), contextLength: facts.contextLength }) });
      expect(model.contextLength).toBeUndefined();
      await collectStream(model.doStream(request));
      expect(model.contextLength).toBe(2048);
      // A daemon that does not say leaves the context unknown, and the model taken to chat.
      expect(await servedModelFacts(await refusedUrl(), "qwen")).toEqual({ chatTemplate: true, contextLength: undefined });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("tries a daemon that could not be started again on the next request", async () => {
    const live = await upstream();
    let connects = 0;
    const model = new DaemonAgentModel({
      modelId: "auto",
      session: { id: "s1" },
      connect: () => (connects++ === 0 ? Promise.reject(new WrenError("internal", "The wren daemon did not start.")) : Promise.resolve(over(live.url))),
    });
    await expect(collectStream(model.doStream(request))).rejects.toThrow("The wren daemon did not start.");
    expect(resultText(await collectStream(model.doStream(request)))).toBe("Hello from the cloud.");
    expect(connects).toBe(2);
  });
});
