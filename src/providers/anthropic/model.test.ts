import { describe, expect, it } from "vitest";
import { providerConformance, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { userText } from "../../protocol/index.js";
import { AnthropicModel } from "./model.js";

describe("anthropic provider against a fake Anthropic server", () => {
  const ctx = providerConformance(
    "anthropic",
    (upstream, options) => new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: upstream.url, ...options }),
    { toolCallId: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", toolText: "Let me check." },
  );

  it("sends system, tools, tool results and images in Anthropic's shape", async () => {
    await ctx.model().doGenerate({
      messages: [
        { role: "system", content: "Be brief." },
        userText("Weather?"),
        { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool-call", toolCallId: "t1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "t1", toolName: "get_weather", output: "sunny", isError: false }] },
        { role: "user", content: [{ type: "image", data: "aGk=", mediaType: "image/png" }] },
      ],
      tools: [weatherTool],
      toolChoice: "required",
    });
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toBe("/v1/messages");
    expect([sent.headers["x-api-key"], sent.headers.authorization]).toContainEqual(expect.stringContaining("sk-ant-test"));
    expect(sent.body).toMatchObject({
      model: "claude-sonnet-4-6",
      system: "Be brief.",
      max_tokens: 4096,
      tool_choice: { type: "any" },
      tools: [{ name: "get_weather", input_schema: weatherTool.inputSchema }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "t1", name: "get_weather", input: { city: "Paris" } }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "t1", content: "sunny" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "aGk=" } },
          ],
        },
      ],
    });
  });
});
