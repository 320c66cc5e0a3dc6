import type { ChatWrapper, ControlledEvaluateInputItem, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { Message } from "../protocol/messages.js";
import { WrenError } from "../shared/errors.js";
import { toChatHistory } from "./convert-messages.js";

/** How well a model predicts one reference answer. */
export interface AnswerScore {
  /** Answer tokens scored (0 when the example was skipped). */
  tokens: number;
  /** Sum over the answer's tokens of -ln p(token | everything before it), in nats. */
  loss: number;
  /** Why the example was not scored: it does not fit the context, or has no answer tokens. */
  skipped?: "too-long" | "empty";
}

/** The prompt's tokens and the reference answer's, as the model's chat template renders them. */
export interface ScoredTokens {
  prompt: Token[];
  answer: Token[];
}

/**
 * Splits a conversation ending with an assistant message into the tokens the model is prompted
 * with and the answer's tokens, both rendered with the model's chat template: the answer is what
 * the full rendering adds to the prompt's (so template markup around it is scored as the model
 * would produce it). Falls back to the answer's own tokens when the template re-renders the prompt
 * differently once the answer is in.
 */
export function answerTokens(model: LlamaModel, chatWrapper: ChatWrapper, messages: readonly Message[]): ScoredTokens {
  const last = messages.at(-1);
  if (last?.role !== "assistant") {
    throw new WrenError("bad_request", "An example to score must end with the assistant's answer.", { hint: "Check the dataset: each example's last message is the reference answer." });
  }
  const render = (history: ReturnType<typeof toChatHistory>): Token[] => chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
  const prompt = render(toChatHistory(messages.slice(0, -1)));
  // toChatHistory ends with an empty model turn to complete; the full rendering ends with the answer.
  const full = render(toChatHistory(messages).slice(0, -1));
  const sharesPrompt = full.length > prompt.length && prompt.every((t, i) => full[i] === t);
  if (sharesPrompt) return { prompt, answer: full.slice(prompt.length) };
  const text = last.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  return { prompt, answer: model.tokenize(text, false) };
}

/** Answer tokens whose probabilities one evaluation call returns: bounds the vocabulary-sized maps held at once. */
const CHUNK = 32;
/** Probabilities below float32's smallest are reported as 0: counted as this, so one token cannot make the loss infinite. */
const FLOOR = 1e-45;

/**
 * Scores a reference answer on a sequence: evaluates the prompt, then the answer token by token,
 * reading each answer token's probability from the model's full next-token distribution (softmax
 * over the raw logits: temperature 0 leaves them untouched). The sequence's history is replaced.
 */
export async function scoreTokens(sequence: LlamaContextSequence, { prompt, answer }: ScoredTokens, signal?: AbortSignal): Promise<AnswerScore> {
  if (answer.length === 0 || prompt.length === 0) return { tokens: 0, loss: 0, skipped: "empty" };
  if (prompt.length + answer.length > sequence.contextSize) return { tokens: 0, loss: 0, skipped: "too-long" };
  await sequence.clearHistory();
  // The distribution after token i predicts token i + 1: ask for it at the prompt's last token and
  // at every answer token but the last.
  const input = [...prompt, ...answer.slice(0, -1)];
  const firstScored = prompt.length - 1;
  let loss = 0;
  let start = 0;
  while (start < input.length) {
    signal?.throwIfAborted();
    // The prompt up to its last token goes in one call; the scored tokens follow in chunks.
    const end = start < firstScored ? firstScored + 1 : Math.min(input.length, start + CHUNK);
    const items: ControlledEvaluateInputItem[] = input.slice(start, end).map((token, offset) => (start + offset >= firstScored ? [token, { generateNext: { probabilities: true } }] : token));
    const outputs = await sequence.controlledEvaluate(items);
    for (let at = Math.max(start, firstScored); at < end; at++) {
      const next = answer[at - firstScored];
      const probabilities = outputs[at - start]?.next.probabilities;
      if (next === undefined || !probabilities) throw new WrenError("internal", "llama.cpp returned no probabilities for an answer token.", { hint: "Report this with the model file's name." });
      loss -= Math.log(Math.max(probabilities.get(next) ?? 0, FLOOR));
    }
    start = end;
  }
  return { tokens: answer.length, loss };
}
