import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/runtime/serve.js";
import type { ChatBody, ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, type ServedChat } from "../helpers/served-chat.js";
import { CHAT_MODEL_REPLY, hasSharedModels } from "../helpers/shared-models.js";

/** The teacher calls get_weather first, and answers from the tool's result once it has one. */
function weatherTeacher(body: ChatBody) {
  const result = body.messages.find((m) => m.role === "tool");
  return result ? { text: `Teacher says: ${String(result.content)}` } : { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] };
}

// The AI SDK's default OpenAI provider, `openai(id)`, speaks the Responses API.
describe.runIf(hasSharedModels)("wren serve's Responses API with the AI SDK's openai(id) provider", () => {
  let served: ServedChat;
  let server: RunningServer;
  let teacher: ScriptedTeacher;
  let openai: ReturnType<typeof createOpenAI>;

  beforeAll(async () => {
    served = await serveChatWithTeacher(weatherTeacher);
    ({ server, teacher } = served);
    openai = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused" });
  });
  afterAll(async () => {
    await served?.close();
  });

  it("generateText and streamText give the model's reply, with usage", async () => {
    const full = await generateText({ model: openai("chat"), system: "You are terse.", prompt: "Say hello.", maxRetries: 0 });
    expect(full.text).toBe(CHAT_MODEL_REPLY);
    expect(full.finishReason).toBe("stop");
    expect(full.usage.inputTokens).toBeGreaterThan(0);
    expect(full.usage.outputTokens).toBeGreaterThan(0);

    const streamed = streamText({ model: openai("chat"), system: "You are terse.", prompt: "Say hello.", maxRetries: 0 });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(CHAT_MODEL_REPLY);
    expect((await streamed.usage).outputTokens).toBe(full.usage.outputTokens);
  });

  it("a tool call through a teacher runs the tool and sends its result back", async () => {
    const before = teacher.requests.length;
    const getWeather = tool({
      description: "The weather in a city.",
      inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }),
      execute: async ({ city }) => `21C in ${city}`,
    });
    const result = await generateText({ model: openai("openai:gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: getWeather }, stopWhen: stepCountIs(3), maxRetries: 0 });
    expect(result.text).toBe("Teacher says: 21C in Paris");
    expect(result.steps[0]!.toolCalls.map((c) => [c.toolName, c.input])).toEqual([["get_weather", { city: "Paris" }]]);
    expect(teacher.requests.length).toBe(before + 2);
    expect(teacher.requests.at(-1)!.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });
});
