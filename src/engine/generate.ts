import {
  LlamaChat,
  LlamaCompletion,
  LlamaText,
  LlamaVocabularyType,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { answerChoices } from "../protocol/answer-json.js";
import type { ChatRequest, ToolDefinition } from "../protocol/request.js";
import type { FinishReason, StreamPart } from "../protocol/stream.js";
import { WrenError } from "../shared/errors.js";
import { continuedText, type ChunkCallbacks } from "./continued-text.js";
import { toChatHistory } from "./convert-messages.js";
import { Emitter } from "./emitter.js";
import type { GrammarCache } from "./grammars.js";
import { HeldToolText } from "./held-tool-text.js";
import { contextOverflow } from "./prompt-bound.js";
import { samplingOptions } from "./sampling.js";
import { describeTools } from "./text-tool-calls.js";
import { withTextToolCalls } from "./text-tool-history.js";
import { forcedSchema, forcedTools, hasNativeFunctionCalling, parseForcedCall, partialForcedCall, toFunctions } from "./tool-choice.js";

export interface GenerationInput {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  grammars: GrammarCache;
  sequence: LlamaContextSequence;
  contextSize: number;
  request: ChatRequest;
  signal: AbortSignal;
  push: (part: StreamPart) => void;
  /** The chat prompt, when the caller rendered it already (to bound its size before a sequence is taken). */
  plan?: ChatPlan;
  /** The prompt's tokens, when the caller tokenized it already (to choose a sequence by prefix). */
  promptTokens?: readonly Token[];
}

/** A chat request rendered with the model's template, before any tokenizing. */
export interface ChatPlan {
  history: ChatHistoryItem[];
  /** The tools a `required` or named tool choice restricts generation to. */
  forced: ToolDefinition[] | undefined;
  /** The tools the model may call on its own (auto), in a chat format with function-calling syntax. */
  functions: ChatModelFunctions | undefined;
  /** True when the tools are described in the system prompt and calls are parsed from the reply's text. */
  textTools: boolean;
  contextText: LlamaText;
}

/**
 * The tokens node-llama-cpp evaluates for a prompt: a chat plan's rendered context, or a completion
 * prompt after the model's beginning-of-sequence token (its leading space trimmed, as
 * `LlamaCompletion` does).
 */
export function promptTokens(model: LlamaModel, prompt: ChatPlan | string): Token[] {
  if (typeof prompt !== "string") return prompt.contextText.tokenize(model.tokenizer);
  const bos = beginningToken(model);
  return bos === null ? model.tokenize(prompt, false) : [bos, ...model.tokenize(prompt, false, "trimLeadingSpace")];
}

/** The token `LlamaCompletion` starts a prompt with (its `resolveBeginningTokenToPrepend`), if any. */
function beginningToken(model: LlamaModel): Token | null {
  const type = model.vocabularyType;
  if (type === LlamaVocabularyType.rwkv || type === LlamaVocabularyType.ugm) return null;
  if (type === LlamaVocabularyType.wpm) return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

/**
 * The tokens of a completion prompt (see {@link promptTokens}) evaluated in a context of
 * `contextSize`: past nine tenths of it (room to answer, as `LlamaCompletion`'s default context
 * shift leaves), the beginning-of-sequence token and as many of the prompt's latest tokens as fit.
 * Cut here to the context wren was asked for (llama.cpp may make a context larger than asked):
 * these tokens are what a cached prefix is compared with, what is counted, and what is evaluated.
 */
export function completionTokens(model: LlamaModel, tokens: readonly Token[], contextSize: number): readonly Token[] {
  const room = Math.max(2, contextSize - Math.max(1, Math.floor(contextSize / 10)));
  if (tokens.length <= room) return tokens;
  return beginningToken(model) === null ? tokens.slice(-room) : [tokens[0] as Token, ...tokens.slice(1).slice(-(room - 1))];
}

/** Renders a chat request with the model's template: string work only, no tokenizing. */
export function planChat(chatWrapper: ChatWrapper, request: ChatRequest): ChatPlan {
  const tools = request.tools ?? [];
  const choice = request.toolChoice ?? "auto";
  const forced = forcedTools(tools, choice);
  const auto = !forced && choice !== "none" && tools.length > 0;
  // A format without its own call syntax would get node-llama-cpp's generic one, which no model is
  // trained on: such models are told the common `<tool_call>` form instead, and their text parsed.
  const textTools = auto && !hasNativeFunctionCalling(chatWrapper);
  const chatHistory = toChatHistory(request.messages, request.continueFinalMessage);
  const history = textTools ? withTextToolCalls(chatHistory) : chatHistory;
  if (textTools) withSystemText(history, describeTools(tools));
  const functions = auto && !textTools ? toFunctions(tools) : undefined;
  const state = chatWrapper.generateContextState({
    chatHistory: history,
    ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  return { history, forced, functions, textTools, contextText: state.contextText };
}

/** Adds `text` to the first system message, or starts the history with one. */
function withSystemText(history: ChatHistoryItem[], text: string): void {
  const first = history[0];
  if (first?.type === "system") first.text = LlamaText([LlamaText.fromJSON(first.text), "\n\n", text]).toJSON();
  else history.unshift({ type: "system", text });
}

export interface GenerationOutcome {
  finishReason: FinishReason;
  inputTokens: number;
  outputTokens: number;
  inputTruncated: boolean;
  firstTokenAt: number | undefined;
  /** The stop sequence that ended generation, when one did. */
  stopSequence?: string;
}

type StopReason = "eogToken" | "stopGenerationTrigger" | "customStopTrigger" | "functionCalls" | "maxTokens" | "abort";

/** The request's stop sequence that node-llama-cpp reports as the trigger, if any. */
function matchedStop(metadata: { stopReason: string; customStopTrigger?: readonly unknown[] }): { stopSequence?: string } {
  if (metadata.stopReason !== "customStopTrigger" || !metadata.customStopTrigger) return {};
  const text = metadata.customStopTrigger.filter((t): t is string => typeof t === "string").join("");
  return text ? { stopSequence: text } : {};
}

function finishReasonOf(stop: StopReason): FinishReason {
  switch (stop) {
    case "maxTokens":
      return "length";
    case "functionCalls":
      return "tool-calls";
    case "abort":
      return "abort";
    default:
      return "stop";
  }
}

/**
 * Tokens the model generated. node-llama-cpp passes on (and so counts) only the tokens it releases:
 * under a JSON grammar it holds whitespace until something follows, and drops what is still held
 * when generation ends, so "{" and 19 tabs counted as 1 token. An answer cut by max tokens took
 * exactly that many.
 */
function generatedTokens(emitter: Emitter, stop: string, maxTokens: number): number {
  return stop === "maxTokens" ? Math.max(emitter.outputTokens, maxTokens) : emitter.outputTokens;
}

function maxTokensFor(request: ChatRequest, contextSize: number, inputTokens: number): number {
  const room = Math.max(1, contextSize - inputTokens);
  if (request.maxOutputTokens === undefined) return room;
  if (!Number.isInteger(request.maxOutputTokens) || request.maxOutputTokens < 1) {
    throw new WrenError("bad_request", `max tokens must be a positive integer; got ${request.maxOutputTokens}.`, {
      hint: "Pass a whole number of tokens, 1 or more.",
    });
  }
  return Math.min(request.maxOutputTokens, room);
}

/** Text completion: continue `rawPrompt` with no chat template. */
export async function generateCompletion(input: GenerationInput): Promise<GenerationOutcome> {
  const { model, request, sequence, contextSize, signal } = input;
  const prompt = request.rawPrompt ?? "";
  // The prompt's latest tokens when it is too long for the context, given to node-llama-cpp as
  // tokens (it adds the beginning-of-sequence token itself) so that it evaluates exactly these.
  const whole = promptTokens(model, prompt);
  const evaluated = input.promptTokens ?? completionTokens(model, whole, contextSize);
  const inputTokens = evaluated.length;
  const bosFirst = beginningToken(model) !== null;
  const emitter = new Emitter(input.push);
  const grammar = await responseGrammar(input);
  const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
  try {
    const maxTokens = maxTokensFor(request, contextSize, inputTokens);
    const result = await completion.generateCompletionWithMeta(bosFirst ? evaluated.slice(1) : [...evaluated], {
      ...samplingOptions(request),
      ...(grammar ? { grammar } : {}),
      maxTokens,
      signal,
      stopOnAbortSignal: true,
      onToken: emitter.onToken,
      onTextChunk: emitter.onText,
    });
    emitter.closeText();
    return {
      finishReason: finishReasonOf(result.metadata.stopReason),
      ...matchedStop(result.metadata),
      inputTokens,
      outputTokens: generatedTokens(emitter, result.metadata.stopReason, maxTokens),
      inputTruncated: inputTokens < whole.length,
      firstTokenAt: emitter.firstTokenAt,
    };
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}

/** Chat: render the model's own template, honour tools and response formats. */
export async function generateChat(input: GenerationInput): Promise<GenerationOutcome> {
  const { model, request, sequence, contextSize, signal, chatWrapper } = input;
  const { history, forced, functions, textTools, contextText } = input.plan ?? planChat(chatWrapper, request);
  const inputTokens = input.promptTokens?.length ?? contextText.tokenize(model.tokenizer).length;
  // node-llama-cpp would compress the history to make room (slow, and it drops what the user sent):
  // a chat prompt that leaves no room for the answer is refused instead.
  if (inputTokens + 1 >= contextSize) {
    throw contextOverflow("The prompt", `${inputTokens} tokens`, contextSize, model.trainContextSize, inputTokens, contextSize - 2);
  }
  const maxTokens = maxTokensFor(request, contextSize, inputTokens);
  const emitter = new Emitter(input.push);
  const grammar = forced ? await input.grammars.forSchema(forcedSchema(forced)) : await responseGrammar(input);
  const held = textTools ? new HeldToolText() : undefined;
  const sink: ChunkCallbacks = { onToken: emitter.onToken, onText: held ? (chunk: string) => emitter.onText(held.push(chunk)) : emitter.onText };
  const last = history.at(-1);
  const continued = last?.type === "model" && last.response.length > 0;
  const chunks = continued ? continuedText(model, input.promptTokens ?? contextText.tokenize(model.tokenizer), sink) : sink;
  const onTextChunk = chunks.onText;
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
  try {
    const common = {
      ...samplingOptions(request),
      maxTokens,
      signal,
      stopOnAbortSignal: true,
      onToken: chunks.onToken,
    };
    const result = functions
      ? await chat.generateResponse(history, { ...common, functions, documentFunctionParams: true, onTextChunk })
      : await chat.generateResponse(history, {
          ...common,
          ...(grammar ? { grammar } : {}),
          // A forced tool call is JSON for the tool's arguments, not text for the user.
          ...(forced ? {} : { onTextChunk }),
        });
    let stop: StopReason = result.metadata.stopReason;
    if (held && stop !== "abort") {
      const rest = held.end();
      emitter.onText(rest.text);
      emitter.closeText();
      for (const call of rest.calls) emitter.toolCall(call.name, call.input);
      // A call cut off by max tokens still ends `length`: its arguments may be incomplete.
      if (rest.calls.length > 0 && stop !== "maxTokens") stop = "functionCalls";
    }
    emitter.closeText();
    if (forced && stop !== "abort") {
      const call = parseForcedCall(forced, result.response);
      if (call) {
        emitter.toolCall(call.name, call.input);
        stop = "functionCalls";
      } else if (stop === "maxTokens") {
        // Cut off before the arguments were complete: the call as far as it went, finish `length`
        // (OpenAI's answer), so the client sees what was cut rather than an empty answer.
        const partial = partialForcedCall(forced, result.response);
        if (partial) emitter.toolCall(partial.name, partial.input);
      } else if (stop === "customStopTrigger") {
        throw new WrenError("bad_request", "A stop sequence ended the forced tool call before its JSON arguments were complete.", {
          hint: "Leave out stop sequences that can occur inside the tool's arguments.",
        });
      } else if (stop === "eogToken") {
        // Under the schema's grammar the model can end only once the grammar is complete: text that
        // is still not JSON then means the schema admits no JSON value.
        throw new WrenError("bad_request", `The schema of the forced tool ${forced.map((t) => `"${t.name}"`).join(", ")} admits no JSON value the model could produce.`, {
          hint: "Check the tool's input schema: every enum, oneOf and anyOf needs at least one entry, and required properties must be possible.",
        });
      } else {
        throw new WrenError("internal", "The model's forced tool call ended before its JSON arguments were complete.", {
          hint: "Retry the request; if it keeps happening, report it with the model name.",
        });
      }
    }
    for (const call of result.functionCalls ?? []) emitter.toolCall(call.functionName, JSON.stringify(call.params ?? {}));
    return {
      finishReason: finishReasonOf(stop),
      ...matchedStop(result.metadata),
      inputTokens,
      outputTokens: generatedTokens(emitter, stop, maxTokens),
      inputTruncated: inputTokens >= contextSize,
      firstTokenAt: emitter.firstTokenAt,
    };
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

async function responseGrammar(input: GenerationInput): Promise<LlamaGrammar | undefined> {
  const format = input.request.responseFormat;
  if (!format || format.type !== "json") return undefined;
  // The value alone: the wrapper's tokens would count against the client's max tokens.
  const choices = answerChoices(format);
  if (choices) return input.grammars.choice(choices.values);
  return format.schema ? input.grammars.forSchema(format.schema) : input.grammars.json();
}
