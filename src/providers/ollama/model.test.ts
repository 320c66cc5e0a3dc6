import { describe, expect, it } from "vitest";
import { providerConformance, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { userText } from "../../protocol/index.js";
import { OllamaModel } from "./model.js";

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
});
