import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../../test/helpers/fake-upstreams/conformance.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { startServer, type RunningServer } from "../../runtime/serve.js";
import { userText, type ChatRequest } from "../../protocol/index.js";
import { PeerModel } from "./model.js";

const KEY = "peer-s3cret";
const MOODS = ["positive", "negative", "neutral"];
const format: ChatRequest["responseFormat"] = {
  type: "json",
  name: "enum_answer",
  schema: { type: "object", properties: { answer: { type: "string", enum: MOODS } }, required: ["answer"], additionalProperties: false },
  strict: true,
  answerKey: "answer",
};

describe.runIf(hasSharedModels)("a peer's enum answer", () => {
  let server: RunningServer;
  let model: PeerModel;

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      apiKey: KEY,
      env: {},
    });
    const peer = { name: "desk", url: server.url, key: KEY, models: [{ id: "chat" }], inFlight: 0, healthy: true };
    model = new PeerModel({ list: () => [peer] }, "desk/chat");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is the peer's model held to the bare value: the client's max tokens and the usage count the value's tokens, streamed or not", async () => {
    // The synthetic model writes a token a character: N tokens of value are N characters of it.
    for (const max of [1, 3, 5]) {
      const request: ChatRequest = { messages: [userText("Mood of 'the soup was cold'?")], maxOutputTokens: max, temperature: 0, responseFormat: format };
      const generated = await model.doGenerate(request);
      const text = generated.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
      const value = text.replace('{"answer":"', "");
      expect(text.startsWith('{"answer":"')).toBe(true);
      expect(value).toHaveLength(max);
      expect(MOODS.some((m) => m.startsWith(value) && m !== value)).toBe(true);
      expect(generated.finishReason).toBe("length");
      expect(generated.usage.outputTokens).toBe(max);
      expect(generated.provenance).toMatchObject({ provider: "peer", peer: "desk" });
      const parts = await streamParts(model.doStream(request));
      expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(text);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "length", usage: { outputTokens: max } });
    }
    const whole = await model.doGenerate({ messages: [userText("Mood of 'the soup was cold'?")], maxOutputTokens: 12, temperature: 0, responseFormat: format });
    const answer = JSON.parse(whole.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("")) as { answer: string };
    expect(MOODS).toContain(answer.answer);
    expect(whole.finishReason).toBe("stop");
    expect(whole.usage.outputTokens).toBe(answer.answer.length);
  });
});
