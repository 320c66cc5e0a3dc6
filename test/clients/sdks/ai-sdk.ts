import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, streamText, tool, type LanguageModel } from "ai";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient, type SdkTarget } from "./sdk-client.js";

// No execute: the SDK hands the call back instead of running it, so the test sees what wren sent.
const tools = { get_weather: tool({ description: "The weather in a city.", inputSchema: jsonSchema<{ city: string }>(weatherParameters) }) };

function aiSdk(name: string, model: (t: SdkTarget, id: string) => LanguageModel): SdkClient {
  return {
    name,
    async text(t, stream) {
      const request = { model: model(t, t.localModel), prompt: helloPrompt, maxOutputTokens: 256, maxRetries: 0 };
      if (!stream) return (await generateText(request)).text;
      let text = "";
      for await (const delta of streamText(request).textStream) text += delta;
      return text;
    },
    async toolCalls(t, stream) {
      const request = { model: model(t, t.teacherModel), prompt: weatherPrompt, tools, maxOutputTokens: 256, maxRetries: 0 };
      const calls = stream ? await streamText(request).toolCalls : (await generateText(request)).toolCalls;
      return calls.map((c) => ({ name: c.toolName, args: c.input }));
    },
  };
}

/** The AI SDK's default OpenAI provider, `openai(id)`: the Responses API. */
export const aiSdkOpenAIResponses = aiSdk("AI SDK openai(id) (Responses)", (t, id) => createOpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused" })(id));
/** `openai.chat(id)`: chat completions. */
export const aiSdkOpenAIChat = aiSdk("AI SDK openai.chat(id)", (t, id) => createOpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused" }).chat(id));
/** `@ai-sdk/anthropic`: Messages. */
export const aiSdkAnthropic = aiSdk("AI SDK @ai-sdk/anthropic", (t, id) => createAnthropic({ baseURL: `${t.url}/v1`, apiKey: "unused" })(id));
/** `@ai-sdk/google`: the Gemini API. */
export const aiSdkGoogle = aiSdk("AI SDK @ai-sdk/google", (t, id) => createGoogleGenerativeAI({ baseURL: `${t.url}/v1beta`, apiKey: "unused" })(id));
