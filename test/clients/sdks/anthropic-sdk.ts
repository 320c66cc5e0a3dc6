import Anthropic from "@anthropic-ai/sdk";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient } from "./sdk-client.js";

/** The official `@anthropic-ai/sdk` client. */
export const anthropicSdk: SdkClient = {
  name: "@anthropic-ai/sdk messages",
  async text(t, stream) {
    const client = new Anthropic({ baseURL: t.url, apiKey: "unused", maxRetries: 0 });
    const request = { model: t.localModel, max_tokens: 256, messages: [{ role: "user" as const, content: helloPrompt }] };
    const message = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
    return message.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
  },
  async toolCalls(t, stream) {
    const client = new Anthropic({ baseURL: t.url, apiKey: "unused", maxRetries: 0 });
    const request = {
      model: t.teacherModel,
      max_tokens: 256,
      messages: [{ role: "user" as const, content: weatherPrompt }],
      tools: [{ name: "get_weather", description: "The weather in a city.", input_schema: weatherParameters }],
    };
    const message = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
    return message.content.flatMap((b) => (b.type === "tool_use" ? [{ name: b.name, args: b.input }] : []));
  },
};
