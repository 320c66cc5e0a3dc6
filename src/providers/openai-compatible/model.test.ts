import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../../test/helpers/fake-upstreams/index.js";
import { collectStream, resultText, userText, type ChatRequest, type StreamPart } from "../../protocol/index.js";
import { OpenAICompatibleModel } from "./model.js";

const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe("openai-compatible provider against a fake OpenAI server", () => {
  let upstream: FakeUpstream;
  let model: OpenAICompatibleModel;
  beforeAll(async () => {
    upstream = await startFakeUpstream("openai");
    model = new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
  });
  afterAll(() => upstream.close());

  it("streams text with usage and a stop finish", async () => {
    const out = await parts(model.doStream({ messages: [{ role: "system", content: "Be brief." }, userText("Hi")], temperature: 0 }));
    expect(out[0]).toEqual({ type: "stream-start", provider: "openai", modelId: "gpt-4o-mini" });
    const result = await collectStream(model.doStream({ messages: [userText("Hi")] }));
    expect(resultText(result)).toBe("Hello from the cloud.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 5, totalTokens: 17 });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(sent.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
  });

  it("answers a non-streamed request", async () => {
    const result = await model.doGenerate({ messages: [userText("Hi")], maxOutputTokens: 20, stopSequences: ["\n"] });
    expect(resultText(result)).toBe("Hello from the cloud.");
    expect(result.usage.totalTokens).toBe(17);
    expect(upstream.requests.at(-1)!.body).toMatchObject({ stream: false, max_tokens: 20, stop: ["\n"] });
  });

  it("translates tools out and a streamed tool call back", async () => {
    const request: ChatRequest = { messages: [userText("Weather in Paris?")], tools: [weatherTool], toolChoice: { type: "tool", toolName: "get_weather" } };
    const out = await parts(model.doStream(request));
    expect(out.map((p) => p.type)).toEqual([
      "stream-start",
      "tool-input-start",
      "tool-input-delta",
      "tool-input-delta",
      "tool-input-end",
      "tool-call",
      "finish",
    ]);
    expect(out.find((p) => p.type === "tool-call")).toEqual({
      type: "tool-call",
      toolCallId: "call_Xk3pT9wQ2mZr",
      toolName: "get_weather",
      input: '{"city":"Paris"}',
    });
    expect(out.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls", usage: { totalTokens: 75 } });
    expect(upstream.requests.at(-1)!.body).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", parameters: weatherTool.inputSchema } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
  });

  it("answers a non-streamed tool call", async () => {
    const result = await model.doGenerate({ messages: [userText("Weather in Paris?")], tools: [weatherTool] });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.content).toEqual([{ type: "tool-call", toolCallId: "call_Xk3pT9wQ2mZr", toolName: "get_weather", input: { city: "Paris" } }]);
  });

  it("sends a tool round trip back in OpenAI's shape", async () => {
    await model.doGenerate({
      messages: [
        userText("Weather?"),
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "get_weather", output: "sunny" }] },
        { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image", data: "aGk=", mediaType: "image/png" }] },
      ],
    });
    expect(upstream.requests.at(-1)!.body["messages"]).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
      { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,aGk=" } }] },
    ]);
  });

  it("ends with an error part naming the status and retry-after on a 429", async () => {
    upstream.fail({ kind: "status", status: 429, retryAfter: 7 });
    const out = await parts(model.doStream({ messages: [userText("Hi")] }));
    expect(out).toEqual([
      { type: "error", error: expect.objectContaining({ code: "rate_limited", status: 429, retryAfter: 7, isRetryable: true }) },
    ]);
    upstream.fail({ kind: "status", status: 500 });
    await expect(model.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "upstream_error", status: 500 });
  });
});
