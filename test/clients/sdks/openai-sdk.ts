import OpenAI from "openai";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient, type SdkTarget } from "./sdk-client.js";

const client = (t: SdkTarget) => new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
const chatTool = { type: "function" as const, function: { name: "get_weather", description: "The weather in a city.", parameters: weatherParameters } };
const responsesTool = { type: "function" as const, name: "get_weather", description: "The weather in a city.", parameters: weatherParameters, strict: false };

/** The official `openai` client on chat completions. */
export const openaiChat: SdkClient = {
  name: "openai chat.completions",
  async text(t, stream) {
    const messages = [{ role: "user" as const, content: helloPrompt }];
    if (!stream) return (await client(t).chat.completions.create({ model: t.localModel, messages })).choices[0]?.message.content ?? "";
    let text = "";
    for await (const chunk of await client(t).chat.completions.create({ model: t.localModel, messages, stream: true })) text += chunk.choices[0]?.delta.content ?? "";
    return text;
  },
  async toolCalls(t, stream) {
    const messages = [{ role: "user" as const, content: weatherPrompt }];
    if (!stream) {
      const res = await client(t).chat.completions.create({ model: t.teacherModel, messages, tools: [chatTool] });
      return (res.choices[0]?.message.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [{ name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }] : []));
    }
    const runner = client(t).chat.completions.stream({ model: t.teacherModel, messages, tools: [chatTool] });
    const final = await runner.finalChatCompletion();
    return (final.choices[0]?.message.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [{ name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }] : []));
  },
};

/** The official `openai` client on the Responses API. */
export const openaiResponses: SdkClient = {
  name: "openai responses",
  async text(t, stream) {
    if (!stream) return (await client(t).responses.create({ model: t.localModel, input: helloPrompt })).output_text;
    const final = await client(t).responses.stream({ model: t.localModel, input: helloPrompt }).finalResponse();
    return final.output_text;
  },
  async toolCalls(t, stream) {
    const request = { model: t.teacherModel, input: weatherPrompt, tools: [responsesTool] };
    const res = stream ? await client(t).responses.stream(request).finalResponse() : await client(t).responses.create(request);
    return res.output.flatMap((item) => (item.type === "function_call" ? [{ name: item.name, args: JSON.parse(item.arguments) as unknown }] : []));
  },
};
