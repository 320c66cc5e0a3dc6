import { describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { ScriptedModel } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { userText, type ChatRequest, type StreamPart } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { Router } from "./router.js";

const weather = { name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
const ask: ChatRequest = { messages: [{ role: "system", content: "Be brief." }, userText("Weather in Paris?")], tools: [weather] };

/** A local answer that fails part-way: some words, then the engine's error. */
const failsMidway: StreamPart[] = [
  { type: "stream-start", provider: "local", modelId: "tiny" },
  { type: "text-start", id: "t0" },
  { type: "text-delta", id: "t0", delta: "Let me check the wea" },
  { type: "error", error: { code: "upstream_error", message: "The local model stopped: out of memory.", isRetryable: true } },
];

// A local answer to a request with tools is held back whole until its tool calls are checked: none
// of it has reached the client when it fails, so the teacher may still answer the whole turn.
describe("a local answer held back for its tool calls that fails part-way", () => {
  it.each(["stream", "generate"] as const)("moves on to the teacher (%s), with the request's tools and system prompt, and none of the local words", async (mode) => {
    await using teacher = await startFakeUpstream("openai");
    const local = new ScriptedModel("local", "tiny", [failsMidway]);
    const router = new Router({
      targets: [
        { id: "local:tiny", model: local, leavesMachine: false, local: { contextLength: 4096, tokenCounter: local }, retry: { maxRetries: 0 } },
        { id: "openai:gpt", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt", baseURL: `${teacher.url}/v1`, apiKey: "sk-test" }), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "local:tiny" }, { type: "target", target: "openai:gpt" }] } },
      consent: { policy: "allow" },
    });
    const parts = mode === "stream" ? await streamParts(router.doStream(ask)) : await streamParts(router.doGenerateParts(ask));
    const text = parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");
    expect(text).not.toContain("Let me check the wea");
    expect(parts.find((p) => p.type === "error")).toBeUndefined();
    expect(parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "openai", model: "gpt", reason: "fallback" } });
    expect(teacher.chatCount).toBe(1);
    const sent = teacher.requests.at(-1)!.body;
    expect(sent["tools"]).toMatchObject([{ type: "function", function: { name: "get_weather" } }]);
    expect(sent["messages"]).toMatchObject([{ role: "system", content: "Be brief." }, { role: "user" }]);
    expect(router.log.list()[0]!.attempts).toMatchObject([
      { target: "local:tiny", outcome: "failed", detail: "upstream_error" },
      { target: "openai:gpt", outcome: "ok" },
    ]);
  });
});
