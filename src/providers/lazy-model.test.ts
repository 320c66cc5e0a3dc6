import { describe, expect, it } from "vitest";
import { collectStream, userText } from "../protocol/index.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { LazyModel } from "./lazy-model.js";

describe("LazyModel", () => {
  it("loads its model on the first call only, and answers through it", async () => {
    const inner = new ScriptedModel("anthropic", "claude", [textAnswer("first"), textAnswer("second")]);
    let loads = 0;
    const model = new LazyModel("anthropic", "claude", async () => {
      loads++;
      return inner;
    });
    expect({ provider: model.provider, modelId: model.modelId, loads }).toEqual({ provider: "anthropic", modelId: "claude", loads: 0 });

    const streamed = await collectStream(model.doStream({ messages: [userText("a")] }));
    const generated = await model.doGenerate({ messages: [userText("b")] });
    expect(streamed.content).toEqual([{ type: "text", text: "first" }]);
    expect(generated.content).toEqual([{ type: "text", text: "second" }]);
    expect(loads).toBe(1);
    expect(inner.requests.map((r) => r.messages)).toEqual([[userText("a")], [userText("b")]]);
  });

  it("passes each call's options on, so cancelling reaches the loaded model", async () => {
    const inner = new ScriptedModel("ollama", "qwen", [textAnswer("ok")]);
    const seen: Array<AbortSignal | undefined> = [];
    const model = new LazyModel("ollama", "qwen", async () => ({
      provider: inner.provider,
      modelId: inner.modelId,
      doStream: (request, options) => (seen.push(options?.signal), inner.doStream(request, options)),
      doGenerate: (request, options) => (seen.push(options?.signal), inner.doGenerate(request, options)),
    }));
    const { signal } = new AbortController();
    await collectStream(model.doStream({ messages: [userText("a")] }, { signal }));
    await model.doGenerate({ messages: [userText("b")] }, { signal });
    expect(seen).toEqual([signal, signal]);
  });
});
