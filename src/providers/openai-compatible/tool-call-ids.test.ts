import { describe, expect, it } from "vitest";
import { streamParts, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { loadRecordings, startFakeUpstream, type Recordings } from "../../../test/helpers/fake-upstreams/index.js";
import { userText, type StreamPart } from "../../protocol/index.js";
import { OpenAICompatibleModel } from "./model.js";

/** A streamed answer of tool-call deltas, as llama-server, vLLM, LM Studio or Ollama's OpenAI API send them. */
function toolStream(deltas: Array<Array<Record<string, unknown>>>): Recordings {
  const recorded = loadRecordings("openai");
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const stream = [
    chunk({ role: "assistant", content: null }),
    ...deltas.map((calls) => chunk({ tool_calls: calls })),
    chunk({}, "tool_calls"),
    { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } },
  ];
  const body = {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
          ],
        },
        finish_reason: "tool_calls",
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
  };
  return { ...recorded, tool: { body, stream } };
}

const fn = (name: string | undefined, args: string) => ({ ...(name ? { name } : {}), arguments: args });

async function calls(recordings: Recordings): Promise<{ parts: StreamPart[]; calls: unknown[] }> {
  await using upstream = await startFakeUpstream("openai", { recordings });
  const model = new OpenAICompatibleModel({ provider: "llama", modelId: "m", baseURL: `${upstream.url}/v1` });
  const parts = await streamParts(model.doStream({ messages: [userText("Weather in Paris and Oslo?")], tools: [weatherTool] }));
  return { parts, calls: parts.filter((p) => p.type === "tool-call").map((p) => p) };
}

const paris = { type: "tool-call", toolCallId: "call_0", toolName: "get_weather", input: '{"city":"Paris"}' };
const oslo = { type: "tool-call", toolCallId: "call_0", toolName: "get_weather", input: '{"city":"Oslo"}' };

describe("openai-compatible tool calls that share an id", () => {
  it("keeps two streamed calls apart by their index when the server repeats the id (Ollama's call_0 in every answer, llama-server)", async () => {
    const { parts, calls: got } = await calls(
      toolStream([
        [{ index: 0, id: "call_0", type: "function", function: fn("get_weather", "") }],
        [{ index: 0, function: fn(undefined, '{"city":') }],
        [{ index: 0, function: fn(undefined, '"Paris"}') }],
        [{ index: 1, id: "call_0", type: "function", function: fn("get_weather", "") }],
        [{ index: 1, function: fn(undefined, '{"city":"Oslo"}') }],
      ]),
    );
    expect(got).toEqual([paris, oslo]);
    // Each call's blocks are well formed: one start, its deltas, one end, before the next call with that id starts.
    const blocks = parts.filter((p) => p.type.startsWith("tool-input-")).map((p) => p.type);
    expect(blocks).toEqual(["tool-input-start", "tool-input-delta", "tool-input-delta", "tool-input-end", "tool-input-start", "tool-input-delta", "tool-input-end"]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  it("keeps two whole calls in one delta apart when they share an id", async () => {
    const { calls: got } = await calls(
      toolStream([
        [
          { index: 0, id: "call_0", type: "function", function: fn("get_weather", '{"city":"Paris"}') },
          { index: 1, id: "call_0", type: "function", function: fn("get_weather", '{"city":"Oslo"}') },
        ],
      ]),
    );
    expect(got).toEqual([paris, oslo]);
  });

  it("without an index, a delta that names a tool again starts a new call, with or without a repeated id", async () => {
    for (const id of [{ id: "call_0" }, {}]) {
      const { calls: got } = await calls(
        toolStream([
          [{ ...id, type: "function", function: fn("get_weather", '{"city":') }],
          [{ ...id, function: fn(undefined, '"Paris"}') }],
          [{ ...id, type: "function", function: fn("get_weather", '{"city":"Oslo"}') }],
        ]),
      );
      const expected = "id" in id ? [paris, oslo] : [{ ...paris, toolCallId: "call_0" }, { ...oslo, toolCallId: "call_1" }];
      expect(got, JSON.stringify(id)).toEqual(expected);
    }
  });

  it("still assembles one call whose id comes in its first delta and whose name comes later", async () => {
    const { calls: got } = await calls(
      toolStream([
        [{ index: 0, id: "call_a", type: "function", function: fn(undefined, '{"city":') }],
        [{ index: 0, function: fn("get_weather", "") }],
        [{ index: 0, function: fn(undefined, '"Paris"}') }],
      ]),
    );
    expect(got).toEqual([{ ...paris, toolCallId: "call_a" }]);
  });

  it("keeps both calls of a whole answer that share an id, each with its own arguments", async () => {
    await using upstream = await startFakeUpstream("openai", { recordings: toolStream([]) });
    const model = new OpenAICompatibleModel({ provider: "llama", modelId: "m", baseURL: `${upstream.url}/v1` });
    const result = await model.doGenerate({ messages: [userText("Weather in Paris and Oslo?")], tools: [weatherTool] });
    expect(result.content).toEqual([
      { type: "tool-call", toolCallId: "call_0", toolName: "get_weather", input: { city: "Paris" } },
      { type: "tool-call", toolCallId: "call_0", toolName: "get_weather", input: { city: "Oslo" } },
    ]);
  });
});
