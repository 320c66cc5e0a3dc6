import { DraftSequenceTokenPredictor, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token, type TokenPredictor } from "node-llama-cpp";
import { inspectGgufFile } from "../models/gguf-check.js";
import { WrenError } from "../shared/errors.js";
import { PromptLookupPredictor } from "./speculative-lookup.js";
import { loadLlamaModel } from "./backend.js";
import type { LlamaErrorLines } from "./llama-errors.js";

/**
 * Speculative decoding: `auto` predicts by prompt lookup and backs off while its guesses are
 * refuted (measured: it speeds up answers that repeat their input and costs the others little),
 * `lookup` predicts by prompt lookup at every step, `off` predicts nothing. With a draft model,
 * any setting but `off` drafts with it instead.
 */
export const SPECULATIVE_MODES = ["auto", "lookup", "off"] as const;
export type SpeculativeMode = (typeof SPECULATIVE_MODES)[number];

/** How a loaded model predicts tokens ahead of decoding them. */
export interface SpeculativeOptions {
  /** Default `auto`. */
  mode?: SpeculativeMode;
  /**
   * A draft model's GGUF file (already checked), sharing the model's vocabulary: it proposes the
   * next tokens, the model verifies them in one batch. Default: none (prompt lookup).
   */
  draftPath?: string;
}

/** Predicted tokens since the model was loaded. */
export interface SpeculativeStats {
  /** What predicts: `lookup`, `draft` or `off`. */
  predictor: "lookup" | "draft" | "off";
  /** Predicted tokens the model confirmed (each one a decode step saved). */
  acceptedTokens: number;
  /** Predicted tokens the model refuted (evaluated for nothing). */
  rejectedTokens: number;
}

/** Where a draft model is loaded: the engine's backend, with the layers placed as the model's. */
export interface DraftPlace {
  llama: Llama;
  gpuLayers: number | "auto" | "max";
  signal?: AbortSignal | undefined;
  /** llama.cpp's error lines, for the reason a draft it cannot load gives. */
  errorLines?: LlamaErrorLines | undefined;
}

/**
 * The token predictors of one loaded model: one per sequence (node-llama-cpp ties a predictor to a
 * sequence when the sequence is made), and the counts of what they predicted.
 */
export class Speculation implements AsyncDisposable {
  readonly predictor: SpeculativeStats["predictor"];
  readonly #mode: SpeculativeMode;
  readonly #draft: { model: LlamaModel; context: LlamaContext } | undefined;
  readonly #contextSize: number;
  #drafts = 0;
  readonly #sequences: number;
  readonly #counts = { acceptedTokens: 0, rejectedTokens: 0 };

  private constructor(mode: SpeculativeMode, contextSize: number, sequences: number, draft?: { model: LlamaModel; context: LlamaContext }) {
    this.#mode = mode;
    this.#contextSize = contextSize;
    this.#sequences = sequences;
    this.#draft = draft;
    this.predictor = mode === "off" ? "off" : draft ? "draft" : "lookup";
  }

  /**
   * Speculation for a model whose default context has `contextSize` tokens and `sequences`
   * sequences. A draft model gets a context of the same shape; one whose vocabulary differs from the
   * model's is refused (`config_invalid`) before any request could reach it.
   */
  static async create(
    model: LlamaModel,
    options: SpeculativeOptions,
    shape: { contextSize: number; sequences: number; threads: number },
    place: DraftPlace,
  ): Promise<Speculation> {
    const mode = options.mode ?? "auto";
    if (mode === "off" || !options.draftPath) return new Speculation(mode, shape.contextSize, shape.sequences);
    const draft = await loadDraft(options.draftPath, place);
    try {
      assertSameVocabulary(model, draft, options.draftPath);
      const context = await draft.createContext({ contextSize: shape.contextSize, sequences: shape.sequences, threads: shape.threads });
      return new Speculation(mode, shape.contextSize, shape.sequences, { model: draft, context });
    } catch (error) {
      await draft.dispose();
      throw error;
    }
  }

  /**
   * A predictor for a new sequence of a context of `contextSize` tokens. Draft sequences exist only
   * for the default context (`draft` false: a context that is not, such as an adapter's, even of the
   * same size); other contexts use prompt lookup.
   */
  predictorFor(contextSize: number, draft = true): TokenPredictor | undefined {
    if (this.#mode === "off") return undefined;
    if (draft && this.#draft && contextSize === this.#contextSize && this.#drafts < this.#sequences) {
      this.#drafts++;
      // At least one drafted token per step: without it the model would not wait for the draft, and
      // on a busy CPU it would seldom find one ready.
      return new DraftSequenceTokenPredictor(this.#draft.context.getSequence(), { minTokens: 1, maxTokens: 8 });
    }
    return new PromptLookupPredictor({ adaptive: this.#mode === "auto" });
  }

  /**
   * Readies `sequence`'s predictor for a request with these prompt tokens; call the returned
   * function when generation ends to count what was predicted.
   */
  begin(sequence: LlamaContextSequence, promptTokens: readonly Token[]): () => void {
    const predictor = sequence.tokenPredictor;
    if (!predictor) return () => undefined;
    if (predictor instanceof PromptLookupPredictor) predictor.usePrompt(promptTokens);
    const before = sequence.tokenPredictions;
    return () => {
      const after = sequence.tokenPredictions;
      this.#counts.acceptedTokens += after.validated - before.validated;
      this.#counts.rejectedTokens += after.refuted - before.refuted;
    };
  }

  stats(): SpeculativeStats {
    return { predictor: this.predictor, ...this.#counts };
  }

  /** Frees the draft model; call after the model's own sequences (which hold draft sequences) are gone. */
  async dispose(): Promise<void> {
    if (!this.#draft) return;
    await this.#draft.context.dispose();
    await this.#draft.model.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** Checks the draft's header first, as for any model: a malformed file aborts llama.cpp itself. */
async function loadDraft(draftPath: string, place: DraftPlace): Promise<LlamaModel> {
  await inspectGgufFile(draftPath);
  const mark = place.errorLines?.mark ?? 0;
  try {
    return await loadLlamaModel(place.llama, { modelPath: draftPath, gpuLayers: place.gpuLayers, ...(place.signal ? { loadSignal: place.signal } : {}) });
  } catch (cause) {
    const reason = place.errorLines ? await place.errorLines.reasonSince(mark, cause) : cause instanceof Error ? cause.message : String(cause);
    throw new WrenError("model_load_failed", `llama.cpp could not load the draft model ${draftPath}: ${reason}`, {
      cause,
      hint: "Check that the draft is a complete GGUF model; `wren models info` shows its header.",
    });
  }
}

/** A draft proposes token ids: they mean the same text only when both models share one vocabulary. */
function assertSameVocabulary(model: LlamaModel, draft: LlamaModel, draftPath: string): void {
  const ours = model.fileInfo.metadata.tokenizer?.ggml?.tokens ?? [];
  const theirs = draft.fileInfo.metadata.tokenizer?.ggml?.tokens ?? [];
  const differs = ours.length !== theirs.length || ours.some((token, i) => token !== theirs[i]);
  if (differs) {
    throw new WrenError("config_invalid", `The draft model ${draftPath} has another vocabulary than the model it drafts for (${theirs.length} tokens against ${ours.length}).`, {
      hint: "Pick a smaller model of the same family (same tokenizer) as the draft, or remove `draft` to use prompt lookup.",
    });
  }
}
