import { Ollama } from "ollama";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient } from "./sdk-client.js";

const weatherTool = { type: "function", function: { name: "get_weather", description: "The weather in a city.", parameters: weatherParameters } };

/** The official `ollama` client. */
export const ollamaSdk: SdkClient = {
  name: "ollama chat",
  async text(t, stream) {
    const client = new Ollama({ host: t.url });
    const messages = [{ role: "user", content: helloPrompt }];
    if (!stream) return (await client.chat({ model: t.localModel, messages, stream: false })).message.content;
    let text = "";
    for await (const part of await client.chat({ model: t.localModel, messages, stream: true })) text += part.message.content;
    return text;
  },
  async toolCalls(t, stream) {
    const client = new Ollama({ host: t.url });
    const messages = [{ role: "user", content: weatherPrompt }];
    const calls = [];
    if (!stream) calls.push(...((await client.chat({ model: t.teacherModel, messages, tools: [weatherTool], stream: false })).message.tool_calls ?? []));
    else for await (const part of await client.chat({ model: t.teacherModel, messages, tools: [weatherTool], stream: true })) calls.push(...(part.message.tool_calls ?? []));
    return calls.map((c) => ({ name: c.function.name, args: c.function.arguments }));
  },
};
