import { GoogleGenAI, type GenerateContentResponse } from "@google/genai";
import { helloPrompt, weatherParameters, weatherPrompt, type SdkClient, type SdkTarget } from "./sdk-client.js";

const client = (t: SdkTarget) => new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: t.url, retryOptions: { attempts: 1 } } });

async function responses(t: SdkTarget, stream: boolean, request: Parameters<GoogleGenAI["models"]["generateContent"]>[0]): Promise<GenerateContentResponse[]> {
  if (!stream) return [await client(t).models.generateContent(request)];
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of await client(t).models.generateContentStream(request)) chunks.push(chunk);
  return chunks;
}

/** The official `@google/genai` client. */
export const genaiSdk: SdkClient = {
  name: "@google/genai models",
  async text(t, stream) {
    return (await responses(t, stream, { model: t.localModel, contents: helloPrompt })).map((r) => r.text ?? "").join("");
  },
  async toolCalls(t, stream) {
    const config = { tools: [{ functionDeclarations: [{ name: "get_weather", description: "The weather in a city.", parametersJsonSchema: weatherParameters }] }] };
    const all = await responses(t, stream, { model: t.teacherModel, contents: weatherPrompt, config });
    return all.flatMap((r) => r.functionCalls ?? []).map((c) => ({ name: c.name ?? "", args: c.args }));
  },
};
