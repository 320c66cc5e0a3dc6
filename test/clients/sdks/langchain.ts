import type { AIMessageChunk } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient, type SdkTarget } from "./sdk-client.js";

const chat = (t: SdkTarget, model: string) => new ChatOpenAI({ model, apiKey: "unused", configuration: { baseURL: `${t.url}/v1` }, useResponsesApi: true, maxRetries: 0 });

async function streamed(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk | undefined> {
  let all: AIMessageChunk | undefined;
  for await (const chunk of stream) all = all ? all.concat(chunk) : chunk;
  return all;
}

/** LangChain's `ChatOpenAI` with `useResponsesApi: true`. */
export const langchainResponses: SdkClient = {
  name: "LangChain ChatOpenAI (useResponsesApi)",
  async text(t, stream) {
    const model = chat(t, t.localModel);
    return stream ? ((await streamed(await model.stream(helloPrompt)))?.text ?? "") : (await model.invoke(helloPrompt)).text;
  },
  async toolCalls(t, stream) {
    const model = chat(t, t.teacherModel).bindTools([{ type: "function", function: { name: "get_weather", description: "The weather in a city.", parameters: weatherParameters } }]);
    const message = stream ? await streamed(await model.stream(weatherPrompt)) : await model.invoke(weatherPrompt);
    return (message?.tool_calls ?? []).map((c) => ({ name: c.name, args: c.args }));
  },
};
