import { getLlama, type ControlledEvaluateInputItem, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";

// The batch loop of node-llama-cpp as wren carries it (patches/): between two decodes it hands the
// context lock to a waiter (an erase, or a saved state's save or load, on another sequence). An
// evaluation longer than a batch is decoded over several batches; the logits it asked for in its
// earlier batches must survive that hand-over. They did not: with speculative decoding (the prompt's
// last token and the predicted tokens each need logits) the first generated token was lost and the
// generation ended at once, seen as "The context size is too small to generate a response" under
// concurrent load.
describe("the patched batch loop", () => {
  let llama: Llama;
  let model: LlamaModel;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, maxThreads: 1 });
    model = await llama.loadModel({ modelPath: await syntheticModel({ seed: 31 }), gpuLayers: 0 });
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
  });

  const BATCH = 16;

  /** Two batches of tokens, asking for the next token after the last of each. */
  function input(): ControlledEvaluateInputItem[] {
    const tokens: Token[] = model.tokenize("the fox jumps over the fence ".repeat(8)).slice(0, 2 * BATCH);
    expect(tokens).toHaveLength(2 * BATCH);
    return tokens.map((token, i) => (i === BATCH - 1 || i === 2 * BATCH - 1 ? [token, { generateNext: { token: true, options: { temperature: 0 } } }] : token));
  }

  /** The tokens greedy decoding gives after each batch, with another sequence's erase mid-evaluation or not. */
  async function nextTokens(interfere: boolean): Promise<Array<Token | null | undefined>> {
    const context = await model.createContext({ contextSize: 256, sequences: 2, batchSize: BATCH, threads: 1 });
    try {
      const main = context.getSequence();
      const other = context.getSequence();
      await other.evaluateWithoutGeneratingNewTokens(model.tokenize("a b c d"));
      const held = other.contextTokens.length;
      const evaluated = main.controlledEvaluate(input());
      let erased: Promise<void> | undefined;
      if (interfere) {
        // Once the first batch is in flight (tokens are metered when they are added to a batch),
        // another sequence asks for the context lock: the loop hands it over after this decode,
        // with the second batch still to go.
        while (main.tokenMeter.usedInputTokens + main.tokenMeter.usedOutputTokens === 0) await new Promise((resolve) => setImmediate(resolve));
        expect(main.tokenMeter.usedInputTokens + main.tokenMeter.usedOutputTokens).toBe(BATCH);
        erased = other.eraseContextTokenRanges([{ start: held - 1, end: held }]);
      }
      const output = await evaluated;
      await erased;
      expect(other.contextTokens).toHaveLength(interfere ? held - 1 : held);
      return [output[BATCH - 1]?.next.token, output[2 * BATCH - 1]?.next.token];
    } finally {
      await context.dispose();
    }
  }

  it("keeps the logits of an evaluation's earlier batches when it hands the lock to a waiter between them", async () => {
    const alone = await nextTokens(false);
    expect(alone.every((token) => typeof token === "number")).toBe(true);
    expect(await nextTokens(true)).toEqual(alone);
  });
});
