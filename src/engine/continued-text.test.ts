import { getLlama, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { continuedText } from "./continued-text.js";

/** What a generation's callbacks passed on, in order. */
function recorder(): { tokens: Token[][]; texts: string[]; callbacks: { onToken: (t: Token[]) => void; onText: (t: string) => void } } {
  const tokens: Token[][] = [];
  const texts: string[] = [];
  return { tokens, texts, callbacks: { onToken: (t) => tokens.push(t), onText: (t) => texts.push(t) } };
}

// A real SentencePiece vocabulary (TinyStories' llama tokenizer): a first chunk detokenized on its
// own loses its leading space ("time" for " time" after "Once upon a").
describe.runIf(hasSharedModels)("continuing a final model message", () => {
  let llama: Llama;
  let model: LlamaModel;
  let tail: Token[];
  let generated: Token[];

  beforeAll(async () => {
    llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: sharedModels.stories });
    tail = model.tokenize("Once upon a");
    generated = model.tokenize("Once upon a time there").slice(tail.length);
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
  });

  it("gives the first chunk its leading space back, detokenized after the prompt's last tokens, and passes later chunks and every token on as they are", () => {
    expect(model.detokenize(generated.slice(0, 1))).toBe("time");
    const seen = recorder();
    const chunks = continuedText(model, tail, seen.callbacks);
    chunks.onToken(generated.slice(0, 1));
    chunks.onText("time");
    chunks.onToken(generated.slice(1));
    chunks.onText(" there");
    expect(seen.texts).toEqual([" time", " there"]);
    expect(seen.tokens).toEqual([generated.slice(0, 1), generated.slice(1)]);
  });

  it("a first chunk whose tokens came in two calls (text not whole after the first) is detokenized from all of them", () => {
    const seen = recorder();
    const chunks = continuedText(model, tail, seen.callbacks);
    chunks.onToken(generated.slice(0, 1));
    chunks.onToken(generated.slice(1));
    chunks.onText("time there");
    expect(seen.texts).toEqual([" time there"]);
    expect(seen.tokens).toHaveLength(2);
  });
});
