import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, userText, type ChatRequest } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";
import type { SpeculativeMode } from "./speculative.js";

/** The scripted model's answer: one CJK character per token, so the prompt tokenizes to the same tokens. */
const PIECES = Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0x4e00 + i));
const ANSWER = PIECES.join("");
const SCRIPTED = { ...CHATML, seed: 3, reply: PIECES };

const STORY = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big tree. Once upon a time, there was a little girl named Lily. She loved to";

function story(maxOutputTokens: number): ChatRequest {
  return { messages: [], rawPrompt: STORY, temperature: 0, maxOutputTokens };
}

/** The answer's text and token count, and the predicted tokens it accepted and rejected. */
async function answer(model: LocalModel, request: ChatRequest): Promise<{ text: string; tokens: number; accepted: number; rejected: number }> {
  const before = model.speculativeStats();
  const result = await model.doGenerate(request);
  const after = model.speculativeStats();
  return { text: resultText(result), tokens: result.usage.outputTokens, accepted: after.acceptedTokens - before.acceptedTokens, rejected: after.rejectedTokens - before.rejectedTokens };
}

// Prediction only changes how many tokens each decode step evaluates: with greedy sampling the
// answer must be the same token for token, whatever was predicted and whether it was right.
describe.runIf(hasSharedModels)("speculative decoding gives the answer decoding without it gives", () => {
  let engine: Engine;
  const stories = new Map<SpeculativeMode, LocalModel>();

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    for (const mode of ["off", "lookup", "auto"] as const) {
      stories.set(mode, await engine.loadModel(sharedModels.stories, { id: `stories-${mode}`, contextSize: 512, sequences: 1, speculative: mode }));
    }
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("prompt lookup, always and with back-off, on text that partly repeats its prompt: right and wrong guesses, the same answer", async () => {
    const off = await answer(stories.get("off") as LocalModel, story(120));
    expect(off.tokens).toBe(120);
    expect(off.accepted + off.rejected).toBe(0);
    for (const mode of ["lookup", "auto"] as const) {
      const on = await answer(stories.get(mode) as LocalModel, story(120));
      expect(on.text, mode).toBe(off.text);
      expect(on.tokens, mode).toBe(off.tokens);
      // Both kinds of guess happened, so both paths of the verification were taken.
      expect(on.accepted, mode).toBeGreaterThan(0);
      expect(on.rejected, mode).toBeGreaterThan(0);
    }
    // The back-off wastes fewer evaluated tokens than guessing at every match.
    const lookup = stories.get("lookup")?.speculativeStats();
    const auto = stories.get("auto")?.speculativeStats();
    expect(auto?.rejectedTokens).toBeLessThan(lookup?.rejectedTokens ?? 0);
  });

  it("a sequence reused by the next request predicts from that request's prompt, not the last one's", async () => {
    const model = stories.get("lookup") as LocalModel;
    const off = stories.get("off") as LocalModel;
    const other: ChatRequest = { messages: [], rawPrompt: "The sun was hot. Tom had a red ball. The sun was hot. Tom had", temperature: 0, maxOutputTokens: 60 };
    expect((await answer(model, other)).text).toBe((await answer(off, other)).text);
    expect((await answer(model, story(40))).text).toBe((await answer(off, story(40))).text);
  });

  it("a draft model: the same answer", async () => {
    const drafted = await engine.loadModel(sharedModels.stories, { id: "stories-draft", contextSize: 512, sequences: 1, draft: sharedModels.stories });
    try {
      expect(drafted.speculativeStats().predictor).toBe("draft");
      const off = await answer(stories.get("off") as LocalModel, story(120));
      const on = await answer(drafted, story(120));
      expect(on.text).toBe(off.text);
      expect(on.tokens).toBe(off.tokens);
    } finally {
      await drafted.dispose();
    }
  });

  it("refuses a draft model with another vocabulary when the model loads", async () => {
    await expect(engine.loadModel(sharedModels.stories, { id: "bad-draft", contextSize: 256, draft: sharedModels.chat })).rejects.toMatchObject({
      code: "config_invalid",
      message: expect.stringContaining("another vocabulary") as unknown,
    });
    expect(engine.models.map((m) => m.modelId)).not.toContain("bad-draft");
  });
});

describe("speculative decoding on an answer that repeats its input", () => {
  let engine: Engine;
  let off: LocalModel;
  let auto: LocalModel;
  let drafted: LocalModel;

  beforeAll(async () => {
    const target = await syntheticModel(SCRIPTED);
    const draft = await syntheticModel({ ...SCRIPTED, seed: 4, nLayer: 1 });
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    off = await engine.loadModel(target, { id: "off", contextSize: 256, sequences: 1, speculative: "off" });
    auto = await engine.loadModel(target, { id: "auto", contextSize: 256, sequences: 1 });
    drafted = await engine.loadModel(target, { id: "drafted", contextSize: 256, sequences: 1, draft });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  // The file is in the system prompt, as an agent's files are in its context rather than in the
  // last user message (all node-llama-cpp's chat would hand its predictor).
  const edit: ChatRequest = { messages: [{ role: "system", content: `The file:\n${ANSWER}` }, userText("Write the file out again.")], temperature: 0 };

  it("prompt lookup (the default) predicts most of the answer from the prompt, several tokens a step", async () => {
    const plain = await answer(off, edit);
    expect(plain.text).toBe(ANSWER);
    const on = await answer(auto, edit);
    expect(on.text).toBe(ANSWER);
    expect(on.tokens).toBe(plain.tokens);
    // Guesses of 2, 4, 8 and 16 tokens cover most of the answer; only the guess that runs past its
    // end (into the prompt's next turn) can be refuted, and it offers at most 16 tokens.
    expect(on.accepted).toBeGreaterThanOrEqual((PIECES.length * 3) / 4);
    expect(on.rejected).toBeLessThanOrEqual(16);
    expect(auto.speculativeStats()).toMatchObject({ predictor: "lookup" });
  });

  it("a draft model gives the same answer, and some of it was drafted", async () => {
    const on = await answer(drafted, edit);
    expect(on.text).toBe(ANSWER);
    // The draft follows the same script and the model waits for at least one drafted token a step;
    // how many more the draft has ready by then depends on scheduling.
    expect(on.accepted).toBeGreaterThan(0);
  });
});
