import { describe, expect, it } from "vitest";
import { providerConformance, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { userText } from "../../protocol/index.js";
import { OpenAICompatibleModel } from "./model.js";

describe("openai-compatible provider against a fake OpenAI server", () => {
  const ctx = providerConformance(
    "openai",
    (upstream, options) => new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test", ...options }),
    { toolCallId: "call_Xk3pT9wQ2mZr" },
  );

  it("asks for usage in the stream and sends the key and options", async () => {
    for await (const _ of ctx.model().doStream({ messages: [userText("Hi")], maxOutputTokens: 20, stopSequences: ["\n"], temperature: 0 })) void _;
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(sent.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, max_tokens: 20, stop: ["\n"], temperature: 0 });
  });

  it("sends tools and a tool round trip in OpenAI's shape", async () => {
    await ctx.model().doGenerate({
      messages: [
        userText("Weather?"),
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "get_weather", output: "sunny" }] },
        { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image", data: "aGk=", mediaType: "image/png" }] },
      ],
      tools: [weatherTool],
      toolChoice: { type: "tool", toolName: "get_weather" },
    });
    const body = ctx.upstream().requests.at(-1)!.body;
    expect(body["tools"]).toEqual([{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: weatherTool.inputSchema } }]);
    expect(body["tool_choice"]).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(body["messages"]).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
      { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,aGk=" } }] },
    ]);
  });
});
