import { InputLookupTokenPredictor, TokenPredictor, type LlamaContextSequence, type Token } from "node-llama-cpp";

/** Longest run of steps a refuted lookup waits before predicting again (`auto`). */
const MAX_PAUSE = 64;

/**
 * Prompt-lookup (n-gram) prediction over the whole prompt: the last tokens generated are looked up
 * in the prompt, and what followed them there is offered as the next tokens, verified in one batch
 * with the next step. It pays when the answer repeats its input (an agent rewriting a file).
 *
 * node-llama-cpp's own chat hands its predictor only the last user message, which leaves out the
 * system prompt and tool results where an agent's file usually is: the prompt is set here per
 * request instead ({@link usePrompt}), and the library's narrower update is ignored.
 *
 * `adaptive` (the `auto` setting) pauses after a refuted prediction, twice as long after each
 * consecutive one, so an answer that does not repeat its input pays for a few wasted guesses
 * rather than one per token; any accepted prediction ends the pause.
 */
export class PromptLookupPredictor extends TokenPredictor {
  readonly #lookup: InputLookupTokenPredictor;
  readonly #adaptive: boolean;
  #sequence: LlamaContextSequence | undefined;
  #seen = { validated: 0, refuted: 0 };
  #pause = 0;
  #wait = 0;

  constructor(options: { adaptive: boolean }) {
    super();
    this.#adaptive = options.adaptive;
    // Two tokens of pattern: one alone matches by chance too often in ordinary text.
    this.#lookup = new InputLookupTokenPredictor({ patternLength: { min: 2 }, predictionLength: { max: 8 } });
  }

  /** The prompt of the request about to run on this predictor's sequence. */
  usePrompt(tokens: readonly Token[]): void {
    this.#lookup.updateInputTokens([...tokens]);
    this.#pause = 0;
    this.#wait = 0;
  }

  override updateInputTokens(): void {
    // Ignored on purpose: see the class comment.
  }

  override reset(params: { targetSequence: LlamaContextSequence; stateTokens: Token[] }): void {
    this.#sequence = params.targetSequence;
    this.#seen = this.#counts();
    this.#lookup.reset({ stateTokens: params.stateTokens });
  }

  override pushTokens(tokens: Token[]): void {
    this.#lookup.pushTokens(tokens);
  }

  override predictTokens(): Token[] {
    if (this.#adaptive) {
      const now = this.#counts();
      const refuted = now.refuted > this.#seen.refuted;
      const accepted = now.validated > this.#seen.validated;
      this.#seen = now;
      if (refuted && !accepted) {
        this.#pause = Math.min(MAX_PAUSE, Math.max(1, this.#pause * 2));
        this.#wait = this.#pause;
      } else if (accepted) {
        this.#pause = 0;
        this.#wait = 0;
      }
      if (this.#wait > 0) {
        this.#wait--;
        return [];
      }
    }
    return this.#lookup.predictTokens();
  }

  override dispose(): void {
    this.#lookup.dispose();
  }

  #counts(): { validated: number; refuted: number } {
    const stats = this.#sequence?.tokenPredictions;
    return { validated: stats?.validated ?? 0, refuted: stats?.refuted ?? 0 };
  }
}
