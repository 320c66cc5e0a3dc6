import { expect } from "vitest";
import { streamParts } from "./fake-upstreams/conformance.js";
import { CHAT_MODEL_REPLY } from "./shared-models.js";
import { userText, type ChatRequest, type LanguageModel } from "../../src/protocol/index.js";

/**
 * Checks that `model`, another wren's served synthetic chat model (see `serveChatModel`), continues
 * a final assistant message when the request asks for it, streamed or not: the answer is only the
 * text after the prefill, as a local model's is. Without the flag it starts a new turn, as
 * OpenAI's chat API reads a final assistant message.
 */
export async function expectContinuedFinalMessage(model: LanguageModel): Promise<void> {
  const messages: ChatRequest["messages"] = [userText("Say hello."), { role: "assistant", content: [{ type: "text", text: "Hello from the" }] }];
  const request: ChatRequest = { messages, continueFinalMessage: true, temperature: 0, maxOutputTokens: 32 };
  const generated = await model.doGenerate(request);
  expect(generated.content).toEqual([{ type: "text", text: " tiny synthetic model." }]);
  expect(generated.finishReason).toBe("stop");
  const parts = await streamParts(model.doStream(request));
  expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(" tiny synthetic model.");
  expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  const { continueFinalMessage: _, ...newTurn } = request;
  expect((await model.doGenerate(newTurn)).content).toEqual([{ type: "text", text: CHAT_MODEL_REPLY }]);
}
