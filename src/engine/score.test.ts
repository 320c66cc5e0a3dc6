import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../protocol/index.js";
import { resultText } from "../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

const conversation = (user: string, answer: string): Message[] => [
  { role: "user", content: [{ type: "text", text: user }] },
  { role: "assistant", content: [{ type: "text", text: answer }] },
];

describe.runIf(hasSharedModels)("scoring reference answers", () => {
  let engine: Engine;
  let model: LocalModel;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    model = await engine.loadModel(sharedModels.stories, { contextSize: 256, sequences: 1 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const adapter = (scale: number) => ({ name: "synthetic", path: sharedModels.lora, scale });
  const perToken = (s: { loss: number; tokens: number }): number => s.loss / s.tokens;

  it("scores the model's own greedy answer as likelier than the same words shuffled", async () => {
    const prompt = conversation("Once upon a time", "").slice(0, 1);
    const own = resultText(await model.doGenerate({ messages: prompt, temperature: 0, maxOutputTokens: 24 })).trim();
    expect(own.split(" ").length).toBeGreaterThan(4);
    const shuffled = own.split(" ").reverse().join(" ");
    const [ownScore, shuffledScore] = await model.scoreAnswers([conversation("Once upon a time", own), conversation("Once upon a time", shuffled)]);
    expect(ownScore?.tokens).toBeGreaterThan(4);
    expect(ownScore?.skipped).toBeUndefined();
    // Greedy tokens are each the most likely, so well under a uniform guess over the 512-token vocabulary.
    expect(perToken(ownScore!)).toBeLessThan(Math.log(512) / 2);
    expect(perToken(shuffledScore!)).toBeGreaterThan(perToken(ownScore!) + 0.5);
  });

  it("gives a different loss with the adapter, the base's exactly at scale 0, and the same again on repeat", async () => {
    const examples = [conversation("Once upon a time", "there was a little girl named Lily. She loved to play outside in the park."), conversation("Tom had a dog.", "The dog was big and happy.")];
    const base = await model.scoreAnswers(examples);
    const adapted = await model.scoreAnswers(examples, { adapter: adapter(1) });
    const off = await model.scoreAnswers(examples, { adapter: adapter(0) });
    expect(base.map((s) => s.tokens)).toEqual(adapted.map((s) => s.tokens));
    for (const [i, s] of base.entries()) {
      expect(s.loss).toBeGreaterThan(0);
      expect(Math.abs((adapted[i]?.loss ?? 0) - s.loss)).toBeGreaterThan(0.01);
      expect(off[i]?.loss).toBeCloseTo(s.loss, 6);
    }
    expect(await model.scoreAnswers(examples)).toEqual(base);
  });

  it("skips an answer that cannot fit the context instead of truncating it", async () => {
    const long = "and then they played ".repeat(80);
    const [score] = await model.scoreAnswers([conversation("Once upon a time", long)]);
    expect(score).toEqual({ tokens: 0, loss: 0, skipped: "too-long" });
  });

  it("refuses a conversation that does not end with an answer", async () => {
    await expect(model.scoreAnswers([conversation("Hi", "there").slice(0, 1)])).rejects.toMatchObject({ code: "bad_request" });
  });
});
