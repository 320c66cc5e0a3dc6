import { resolveChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaModel } from "node-llama-cpp";
import type { Message } from "../protocol/messages.js";
import { disposeBackend, loadBackend, loadLlamaModel } from "./backend.js";
import { toChatHistory } from "./convert-messages.js";

/** A chat example as the engine sees it: its tokens and where the answer to learn starts. */
export interface TokenizedExample {
  /** The whole exchange rendered with the model's chat template, then the end-of-text token. */
  tokens: number[];
  /** Index of the first answer token: tokens before it are context, not learned. */
  lossFrom: number;
  weight: number;
}

/** One chat example: the messages end with the assistant answer to learn. */
export interface ChatExample {
  messages: readonly Message[];
  weight: number;
}

function render(model: LlamaModel, wrapper: ChatWrapper, history: ChatHistoryItem[]): number[] {
  return wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
}

function tokenizeOne(model: LlamaModel, wrapper: ChatWrapper, example: ChatExample): TokenizedExample | undefined {
  const last = example.messages.findLastIndex((m) => m.role === "assistant");
  if (last < 0) return undefined;
  // The prompt as the engine renders it for generation (ending with an open model turn)...
  const prompt = render(model, wrapper, toChatHistory(example.messages.slice(0, last)));
  // ...and the same history with the answer in that turn.
  const full = toChatHistory(example.messages.slice(0, last + 1));
  full.pop();
  const tokens = render(model, wrapper, full);
  let lossFrom = 0;
  while (lossFrom < prompt.length && lossFrom < tokens.length && prompt[lossFrom] === tokens[lossFrom]) lossFrom++;
  // The model learns to stop after the answer, as it must when serving.
  const eos = model.tokens.eos;
  if (eos !== null) tokens.push(eos);
  if (lossFrom < 1 || lossFrom >= tokens.length) return undefined;
  return { tokens: tokens.map(Number), lossFrom, weight: example.weight };
}

/**
 * Tokenizes chat examples exactly as the engine will see them when serving: the model's own chat
 * template (node-llama-cpp's choice for the file) and tokenizer. Loads the vocabulary only.
 * Examples without an answer, or longer than the model's training context, are left out.
 */
export async function tokenizeChatExamples(modelPath: string, examples: readonly ChatExample[]): Promise<{ examples: TokenizedExample[]; tooLong: number; contextSize: number }> {
  const { llama } = await loadBackend({ gpu: "cpu", threads: 1 });
  try {
    const model = await loadLlamaModel(llama, { modelPath, vocabOnly: true });
    try {
      const wrapper = resolveChatWrapper(model);
      const all = examples.flatMap((e) => tokenizeOne(model, wrapper, e) ?? []);
      // An example longer than the model's training context teaches nothing it can use when serving.
      // From the file's metadata: a vocabulary-only load leaves llama.cpp's own value at 0.
      const contextSize = model.fileInsights.trainContextSize ?? 0;
      const fit = contextSize > 0 ? all.filter((e) => e.tokens.length <= contextSize) : all;
      return { examples: fit, tooLong: all.length - fit.length, contextSize };
    } finally {
      await model.dispose();
    }
  } finally {
    await disposeBackend(llama);
  }
}
