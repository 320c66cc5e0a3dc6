import { describe, expect, it } from "vitest";
import { providerConformance, streamParts, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream } from "../../../test/helpers/fake-upstreams/index.js";
import { ollamaLimited } from "../../../test/helpers/fake-upstreams/token-limited.js";
import { userText, type ChatRequest } from "../../protocol/index.js";
import { OllamaModel } from "./model.js";
import { enumAnswerFormat } from "../../../test/helpers/enum-answers.js";

describe("ollama provider against a fake Ollama server", () => {
  const ctx = providerConformance("ollama", (upstream, options) => new OllamaModel({ modelId: "llama3.2", baseURL: upstream.url, ...options }));

  it("posts NDJSON chat to /api/chat with Ollama's options, tools and tool messages", async () => {
    await ctx.model().doGenerate({
      messages: [
        userText("Weather?"),
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "o1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "o1", toolName: "get_weather", output: "sunny" }] },
        { role: "user", content: [{ type: "text", text: "Look" }, { type: "image", data: "data:image/png;base64,aGk=" }] },
      ],
      tools: [weatherTool],
      maxOutputTokens: 32,
      temperature: 0,
    });
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toBe("/api/chat");
    expect(sent.body).toMatchObject({
      model: "llama3.2",
      stream: false,
      options: { num_predict: 32, temperature: 0 },
      tools: [{ type: "function", function: { name: "get_weather", parameters: weatherTool.inputSchema } }],
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: "", tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }] },
        { role: "tool", content: "sunny", tool_name: "get_weather" },
        { role: "user", content: "Look", images: ["aGk="] },
      ],
    });
  });

  it("refuses an image URL with a hint", async () => {
    await expect(
      ctx.model().doGenerate({ messages: [{ role: "user", content: [{ type: "image", data: "https://example.com/a.png" }] }] }),
    ).rejects.toMatchObject({ code: "unsupported", hint: expect.stringContaining("base64") });
  });

  it("asks for an enum answer by the value's own schema, so the client's max tokens and the usage are the value's, and writes the JSON the request asks for around it, streamed or not", async () => {
    const moods = ["positive", 'say "no"'];
    const format = enumAnswerFormat(moods);
    // The model writes the JSON its format asks for, a token a line: `"`, `say`, ` \`, `"`, `no\`, `"`, `"`.
    const written = (body: Record<string, unknown>) => ((body["format"] as { type?: string }).type === "string" ? JSON.stringify(moods[1]) : JSON.stringify({ answer: moods[1] }));
    await using upstream = await startFakeUpstream("ollama", { recordings: ollamaLimited(written) });
    const model = new OllamaModel({ modelId: "llama3.2", baseURL: upstream.url });
    // [client's max tokens, the JSON the client gets, finish, value tokens counted]
    for (const [max, json, reason, tokens] of [
      [1, '{"answer":"say', "length", 1],
      [3, '{"answer":"say \\"', "length", 3],
      [5, '{"answer":"say \\"no\\"', "length", 5],
      [6, '{"answer":"say \\"no\\""}', "stop", 5],
    ] as const) {
      const request: ChatRequest = { messages: [userText("Mood?")], maxOutputTokens: max, responseFormat: format };
      const generated = await model.doGenerate(request);
      expect(upstream.requests.at(-1)?.body).toMatchObject({ options: { num_predict: max + 1 }, format: { type: "string", enum: moods } });
      expect(generated.content).toEqual([{ type: "text", text: json }]);
      expect(generated.finishReason).toBe(reason);
      expect(generated.usage).toMatchObject({ outputTokens: tokens, totalTokens: 12 + tokens });
      const parts = await streamParts(model.doStream(request));
      expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(json);
      expect(parts.filter((p) => p.type === "text-start")).toHaveLength(1);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: reason, usage: { outputTokens: tokens } });
    }
  });
});
