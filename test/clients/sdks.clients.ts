import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/runtime/serve.js";
import type { ChatBody, ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, TEACHER_MODEL, type ServedChat } from "../helpers/served-chat.js";
import { CHAT_MODEL_REPLY } from "../helpers/shared-models.js";
import { aiSdkAnthropic, aiSdkGoogle, aiSdkOpenAIChat, aiSdkOpenAIResponses } from "./sdks/ai-sdk.js";
import { anthropicSdk } from "./sdks/anthropic-sdk.js";
import { genaiSdk } from "./sdks/genai-sdk.js";
import { langchainResponses } from "./sdks/langchain.js";
import { ollamaSdk } from "./sdks/ollama-sdk.js";
import { openaiChat, openaiResponses } from "./sdks/openai-sdk.js";
import type { SdkClient, SdkTarget } from "./sdks/sdk-client.js";

const sdks: SdkClient[] = [openaiChat, openaiResponses, anthropicSdk, genaiSdk, ollamaSdk, aiSdkOpenAIResponses, aiSdkOpenAIChat, aiSdkAnthropic, aiSdkGoogle, langchainResponses];

/** The teacher stand-in calls get_weather for Oslo whenever it is offered the tool. */
function teacherScript(body: ChatBody) {
  return body.tools?.some((t) => t.function.name === "get_weather") ? { toolCalls: [{ name: "get_weather", arguments: { city: "Oslo" } }] } : { text: "Hello from the teacher." };
}

describe("SDKs, unchanged but for the base URL, against wren serve", () => {
  let served: ServedChat;
  let server: RunningServer;
  let teacher: ScriptedTeacher;
  let target: SdkTarget;

  beforeAll(async () => {
    served = await serveChatWithTeacher(teacherScript, { contextSize: 2048 });
    ({ server, teacher } = served);
    target = { url: server.url, localModel: "chat", teacherModel: TEACHER_MODEL };
  });
  afterAll(async () => {
    await served?.close();
  });

  const cases = sdks.flatMap((sdk) => [false, true].map((stream) => ({ sdk, stream, title: `${sdk.name}, ${stream ? "streamed" : "not streamed"}` })));

  it.each(cases)("$title: the local model's reply", async ({ sdk, stream }) => {
    expect(await sdk.text(target, stream)).toBe(CHAT_MODEL_REPLY);
  });

  it.each(cases)("$title: a tool call through the teacher stand-in", async ({ sdk, stream }) => {
    const before = teacher.requests.length;
    expect(await sdk.toolCalls(target, stream)).toEqual([{ name: "get_weather", args: { city: "Oslo" } }]);
    // The call came from the teacher, which was offered the SDK's tool under its own name.
    expect(teacher.requests.length).toBeGreaterThan(before);
    expect(teacher.requests.at(-1)?.tools?.map((t) => t.function.name)).toEqual(["get_weather"]);
  });
});
