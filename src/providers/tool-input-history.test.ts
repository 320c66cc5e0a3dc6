import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../protocol/index.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { AnthropicModel } from "./anthropic/model.js";
import { OpenAICompatibleModel } from "./openai-compatible/model.js";

/**
 * A conversation may hold a tool call whose arguments were cut off by an output limit, kept as the
 * text the model wrote (`{"city":`), and sent back by a client: a teacher that answers next gets it
 * in the shape its API takes, never a string where an object belongs, nor JSON encoded twice.
 */
describe("a tool call kept as text, sent on to a teacher", () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  beforeAll(async () => {
    openai = await startFakeUpstream("openai");
    anthropic = await startFakeUpstream("anthropic");
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close()]);
  });

  const conversation: Message[] = [
    { role: "user", content: [{ type: "text", text: "weather?" }] },
    { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_1", toolName: "weather", input: '{"city":' }] },
    { role: "tool", content: [{ type: "tool-result", toolCallId: "call_1", toolName: "weather", output: "cut off" }] },
  ];

  it("OpenAI-compatible: the arguments go as the text they were, not encoded again", async () => {
    await new OpenAICompatibleModel({ provider: "acme", modelId: "gpt-4o-mini", baseURL: `${openai.url}/v1` }).doGenerate({ messages: conversation });
    const sent = openai.requests.at(-1)!.body as { messages: Array<{ tool_calls?: Array<{ function: { arguments: string } }> }> };
    expect(sent.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.arguments)).toEqual(['{"city":']);
  });

  it("Anthropic: the input is an object (the empty one for text that is no JSON object)", async () => {
    await new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: anthropic.url }).doGenerate({ messages: conversation });
    const sent = anthropic.requests.at(-1)!.body as { messages: Array<{ content: Array<{ type: string; input?: unknown }> | string }> };
    const uses = sent.messages.flatMap((m) => (Array.isArray(m.content) ? m.content.filter((b) => b.type === "tool_use") : []));
    expect(uses.map((b) => b.input)).toEqual([{}]);
  });
});
